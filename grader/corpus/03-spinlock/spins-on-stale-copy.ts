// BUG: lock loads the cell once and then spins on that local copy, so a caller that found the lock held never sees it released
// MUST FAIL: hands the lock to a spinning waiter once another thread releases it
//
// In C, a spin loop on a plain (non-atomic, non-volatile) int may be compiled
// to exactly this: the load is hoisted out of the loop. Each look must read
// the shared cell again. Uncontended, nothing goes wrong.
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
    const state = this.segment.load(cell); // read once ...
    let backoff = FIRST_BACKOFF;
    for (;;) {
      if (state === UNLOCKED && this.segment.exchange(cell, LOCKED) === UNLOCKED) return; // ... tested forever
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
