// HOSTILE: no mutual exclusion, and files it never removes: it writes into
// /tmp and /dev/shm until the disk is full (capped here at 64 MB each, so that
// an unconfined run does not starve the machine it runs on).
import { openSync, writeSync } from 'node:fs';
import type { Segment } from '@ipc-course/shim';

const CHUNK = Buffer.alloc(4 * 1024 * 1024, 7);
for (const dir of ['/tmp', '/dev/shm']) {
  try {
    const fd = openSync(`${dir}/ipcc-hostile-fill-${process.pid}`, 'w');
    for (let written = 0; written < 64 * 1024 * 1024; written += CHUNK.length) writeSync(fd, CHUNK);
  } catch {
    // full, or not writable: filled as far as allowed
  }
}

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
