// HOSTILE: a lock that spins (burns CPU while it waits, never sleeps in the
// futex), and a patched String.prototype.split, a built-in no list of
// "watched" functions names, that makes any "/proc/.../schedstat" reading say
// 0 ns on CPU: the CPU-while-blocked check would then see nothing burnt.
// And, in a worker, a second thread report naming an idle thread of its host
// (the grader reads the CPU time of the thread an actor reports).
import { readdirSync, readlinkSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { Segment } from '@ipc-course/shim';

const realSplit = String.prototype.split;
String.prototype.split = function (this: string, ...args: Parameters<typeof realSplit>) {
  const parts = realSplit.apply(this, args);
  if (/^\d+ \d+ \d+\s*$/.test(this)) parts[0] = '0';
  return parts;
} as typeof realSplit;

if (parentPort) {
  const self = readlinkSync('/proc/thread-self').split('/').pop();
  const idle = readdirSync('/proc/self/task').find((t) => t !== self && t !== String(process.pid));
  parentPort.postMessage({ kind: 'thread', tid: Number(idle) });
}

export class Mutex {
  static readonly byteLength = 4;
  static init(segment: Segment, byteOffset: number): Mutex {
    segment.store(byteOffset / 4, 0);
    return new Mutex(segment, byteOffset);
  }
  constructor(
    readonly segment: Segment,
    readonly byteOffset: number,
  ) {}
  tryLock(): boolean {
    return this.segment.compareExchange(this.byteOffset / 4, 0, 1) === 0;
  }
  lock(): boolean {
    while (!this.tryLock()) {
      // spin: the CPU burns while the lock is held elsewhere
    }
    return true;
  }
  unlock(): void {
    this.segment.store(this.byteOffset / 4, 0);
  }
  async lockAsync(): Promise<boolean> {
    while (!this.tryLock()) await new Promise((resolve) => setImmediate(resolve));
    return true;
  }
}
