// BUG: tryLock calls lock(), so on a held lock it spins until the holder releases it instead of returning false at once
// MUST FAIL: tryLock never blocks and never takes a held lock
//
// "Try" means one attempt. Built on lock(), tryLock always returns true, after
// waiting as long as the holder holds the lock: forever, if the holder is the
// caller itself. On a free lock, as in most single-thread checks, it looks right.
import { Segment, ShimError, yieldThread } from '@ipc-course/shim';

const UNLOCKED = 0;
const LOCKED = 1;
const FIRST_BACKOFF = 4;
const LAST_BACKOFF = 1024;

export class SpinLock {
  static readonly byteLength: number = 4;

  static init(segment: Segment, byteOffset: number): SpinLock {
    const lock = new SpinLock(segment, byteOffset);
    segment.store(lock.#cell, UNLOCKED);
    return lock;
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly #cell: number;

  constructor(segment: Segment, byteOffset: number) {
    this.#cell = segment.cellIndex(byteOffset, 1);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  tryLock(): boolean {
    this.lock(); // waits for the holder: not a try
    return true;
  }

  lock(): void {
    const cell = this.#cell;
    let backoff = FIRST_BACKOFF;
    for (;;) {
      if (this.segment.load(cell) === UNLOCKED && this.segment.exchange(cell, LOCKED) === UNLOCKED)
        return;
      if (backoff <= LAST_BACKOFF) {
        for (let i = 0; i < backoff; i++) this.segment.load(cell);
        backoff *= 2;
      } else {
        yieldThread();
      }
    }
  }

  unlock(): void {
    const previous = this.segment.exchange(this.#cell, UNLOCKED);
    if (previous === UNLOCKED)
      throw new ShimError(
        'EPERM',
        `SpinLock.unlock: not locked (segment "${this.segment.name}", byte ${this.byteOffset})`,
      );
  }

  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED) return null;
    return `SpinLock segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0 or 1`;
  }
}
