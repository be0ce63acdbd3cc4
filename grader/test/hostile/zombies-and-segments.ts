// HOSTILE: no mutual exclusion, and leftovers: shared-memory segments under
// names no sweep of the grader's own knows, never unlinked; and a zombie: a
// process whose child has exited and is never waited for (sleep execs over
// the shell that started the child, and sleep never calls wait).
import { spawn } from 'node:child_process';
import { Segment } from '@ipc-course/shim';

for (let i = 0; i < 3; i++) {
  try {
    Segment.create(`hostile-leak-${process.pid}-${i}`, 1024 * 1024);
  } catch {
    // no shared memory here: nothing to leak
  }
}
spawn('sh', ['-c', 'sleep 0.1 & exec sleep 3605'], { stdio: 'ignore' });

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
