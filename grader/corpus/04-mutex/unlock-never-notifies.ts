// BUG: unlock stores 0 but never calls notify, so a waiter asleep in the futex is never woken
// MUST FAIL: keeps exclusion and loses no wakeup under controlled schedules (2 workers + 1 process)
//
// lock announces itself with 2 and sleeps on the cell, as it should; unlock
// forgets the partner step. A sleeper wakes only when its own timeout ends, or
// never for lock() without one.
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
    const previous = this.segment.exchange(this.#cell, UNLOCKED);
    if (previous === UNLOCKED)
      throw new ShimError(
        'EPERM',
        `Mutex.unlock: not locked (segment "${this.segment.name}", byte ${this.byteOffset})`,
      );
    // missing: if (previous === CONTENDED) this.segment.notify(this.#cell, 1);
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
