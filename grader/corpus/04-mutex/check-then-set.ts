// BUG: takes the lock with a load then a store, not one compareExchange, so two callers can both see 0 and both enter
// MUST FAIL: never lets two holders in at once (4 workers + 2 processes)
//
// The waking protocol is right (announce 2, wait on 2, unlock notifies on 2);
// only the acquire step is two separate atomic operations, so mutual exclusion
// fails under contention.
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
    if (this.segment.load(this.#cell) !== UNLOCKED) return false;
    this.segment.store(this.#cell, LOCKED); // not atomic with the load above
    return true;
  }

  lock(timeoutMs: number = Infinity): boolean {
    if (this.tryLock()) return true;
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    const cell = this.#cell;
    for (;;) {
      if (this.segment.load(cell) === UNLOCKED) {
        this.segment.store(cell, CONTENDED); // another caller may have stored between our load and this store
        return true;
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      this.segment.compareExchange(cell, LOCKED, CONTENDED); // announce a waiter
      this.segment.wait(cell, CONTENDED, remaining);
    }
  }

  unlock(): void {
    const previous = this.segment.exchange(this.#cell, UNLOCKED);
    if (previous === UNLOCKED)
      throw new ShimError(
        'EPERM',
        `Mutex.unlock: not locked (segment "${this.segment.name}", byte ${this.byteOffset})`,
      );
    if (previous === CONTENDED) this.segment.notify(this.#cell, 1);
  }

  async lockAsync(timeoutMs: number = Infinity): Promise<boolean> {
    if (this.tryLock()) return true;
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    const cell = this.#cell;
    for (;;) {
      if (this.segment.load(cell) === UNLOCKED) {
        this.segment.store(cell, CONTENDED); // another caller may have stored between our load and this store
        return true;
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      this.segment.compareExchange(cell, LOCKED, CONTENDED); // announce a waiter
      await this.segment.waitAsync(cell, CONTENDED, remaining);
    }
  }

  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED || state === CONTENDED) return null;
    return `Mutex segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0, 1 or 2`;
  }
}
