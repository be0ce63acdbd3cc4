// BUG: lock tests with a load, then sets with a plain store, so two callers that both saw 0 both enter
// MUST FAIL: never lets two holders in at once (4 workers + 2 processes)
//
// Test-and-test-and-set misread as "test, then set": the set must be an
// exchange whose result is checked, because between the load and the store
// another caller can load the same 0. Backoff and yield are right, and on one
// thread every contract check passes.
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
    return this.segment.compareExchange(this.#cell, UNLOCKED, LOCKED) === UNLOCKED;
  }

  lock(): void {
    const cell = this.#cell;
    let backoff = FIRST_BACKOFF;
    for (;;) {
      if (this.segment.load(cell) === UNLOCKED) {
        this.segment.store(cell, LOCKED); // another caller may have seen the same 0
        return;
      }
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
