// BUG: lock waits until the cell reads 0 but never writes 1, so every caller that finds it free enters at once
// MUST FAIL: never lets two holders in under controlled schedules (2 workers + 1 process)
//
// The "test" half of test-and-test-and-set without the "set": the loop waits
// for a free lock and then walks in without taking it. Its unlock, a plain
// store of 0, cannot tell either. tryLock is right, so a lock taken by tryLock
// looks fine; lock() protects nothing.
import { Segment, yieldThread } from '@ipc-course/shim';

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
    return this.segment.compareExchange(this.#cell, UNLOCKED, LOCKED) === UNLOCKED;
  }

  lock(): void {
    const cell = this.#cell;
    let backoff = FIRST_BACKOFF;
    while (this.segment.load(cell) !== UNLOCKED) {
      if (backoff <= LAST_BACKOFF) {
        for (let i = 0; i < backoff; i++) this.segment.load(cell);
        backoff *= 2;
      } else {
        yieldThread();
      }
    }
    // free: but nothing here marks it held
  }

  unlock(): void {
    this.segment.store(this.#cell, UNLOCKED);
  }

  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED) return null;
    return `SpinLock segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0 or 1`;
  }
}
