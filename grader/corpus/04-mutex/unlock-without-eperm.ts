// BUG: unlock of an unlocked mutex returns quietly instead of throwing EPERM (Drepper's unlock copied without the check)
// MUST FAIL: follows the contract on one thread: init, tryLock, unlock, EPERM
//
// Drepper's unlock is `if (atomic_dec(val) != 1) { val = 0; futex_wake(&val,
// 1); }`. On an unlocked mutex the decrement sees 0, so it stores 0 and
// notifies: no harm to the cell, but the caller's bug goes unreported.
import { Segment, ShimError } from '@ipc-course/shim';

const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;

export class Mutex {
  static readonly byteLength: number = 4;

  static init(segment: Segment, byteOffset: number): Mutex {
    const mutex = new Mutex(segment, byteOffset);
    segment.store(mutex.#cell, UNLOCKED);
    return mutex;
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

  lock(timeoutMs: number = Infinity): boolean {
    if (this.tryLock()) return true;
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    let state = this.segment.exchange(this.#cell, CONTENDED);
    while (state !== UNLOCKED) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      this.segment.wait(this.#cell, CONTENDED, remaining);
      state = this.segment.exchange(this.#cell, CONTENDED);
    }
    return true;
  }

  unlock(): void {
    if (this.segment.sub(this.#cell, 1) !== LOCKED) {
      this.segment.store(this.#cell, UNLOCKED);
      this.segment.notify(this.#cell, 1);
    }
  }

  async lockAsync(timeoutMs: number = Infinity): Promise<boolean> {
    if (this.tryLock()) return true;
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    let state = this.segment.exchange(this.#cell, CONTENDED);
    while (state !== UNLOCKED) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      await this.segment.waitAsync(this.#cell, CONTENDED, remaining);
      state = this.segment.exchange(this.#cell, CONTENDED);
    }
    return true;
  }

  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED || state === CONTENDED) return null;
    return `Mutex segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0, 1 or 2`;
  }
}
