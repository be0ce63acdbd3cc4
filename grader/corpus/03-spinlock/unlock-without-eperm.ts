// BUG: unlock stores 0 without looking at the old state, so unlocking a lock nobody holds returns quietly instead of throwing EPERM
// MUST FAIL: follows the contract on one thread: init, tryLock, unlock, EPERM, its own bytes only
//
// xv6's release() panics on this misuse; pthread_mutex_unlock reports EPERM
// for an error-checking mutex. A plain store cannot tell, since it does not
// return what it overwrote: use exchange. Everything else is right.
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
    this.segment.store(this.#cell, UNLOCKED); // no way to know whether it was locked
  }

  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED) return null;
    return `SpinLock segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0 or 1`;
  }
}
