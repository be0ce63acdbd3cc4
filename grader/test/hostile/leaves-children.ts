// HOSTILE: starts processes that never exit: one plain child, one in a new
// session (outside the sandbox's process group), and a double-forked loop in
// a new session that keeps starting new orphans, so killing the processes seen
// at one moment is not enough. Then behaves as a mutex with no exclusion.
import { spawn } from 'node:child_process';
import { Segment } from '@ipc-course/shim';

spawn('sleep', ['3601'], { stdio: 'ignore' });
spawn('setsid', ['sleep', '3602'], { stdio: 'ignore', detached: true }).unref();
spawn('sh', ['-c', '(setsid sh -c "while :; do (sleep 3603 &); sleep 0.1; done" &)'], {
  stdio: 'ignore',
}).unref();

export class Mutex {
  static readonly byteLength = 4;
  static init(segment: Segment, byteOffset: number): Mutex {
    return new Mutex(segment, byteOffset);
  }
  constructor(
    readonly segment: Segment,
    readonly byteOffset: number,
  ) {}
  tryLock(): boolean {
    return true;
  }
  lock(): boolean {
    return true;
  }
  unlock(): void {}
  async lockAsync(): Promise<boolean> {
    return true;
  }
}
