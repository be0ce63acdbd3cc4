// BUG: a woken waiter takes the lock as 1 (no waiters) instead of 2, so its unlock skips the notify that a second sleeper needs
// MUST FAIL: wakes a blocked waiter when the holder unlocks (no lost wakeup)
//
// With one waiter nothing goes wrong. With two asleep, the holder's unlock
// wakes the first; it sets the cell to 1, forgetting that the second still
// sleeps; its own unlock then sees 1 and notifies nobody. The second waiter
// sleeps on although the lock is free (a lost wakeup).
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
    const cell = this.#cell;
    let state = this.segment.compareExchange(cell, UNLOCKED, LOCKED);
    if (state === UNLOCKED) return true;
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    while (state !== UNLOCKED) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      if (
        state === CONTENDED ||
        this.segment.compareExchange(cell, LOCKED, CONTENDED) !== UNLOCKED
      ) {
        this.segment.wait(cell, CONTENDED, remaining);
      }
      // Drepper's mutex2 re-takes the lock with compareExchange(cell, 0, 2): others may still sleep.
      state = this.segment.compareExchange(cell, UNLOCKED, LOCKED);
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
    if (previous === CONTENDED) this.segment.notify(this.#cell, 1);
  }

  async lockAsync(timeoutMs: number = Infinity): Promise<boolean> {
    const cell = this.#cell;
    let state = this.segment.compareExchange(cell, UNLOCKED, LOCKED);
    if (state === UNLOCKED) return true;
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    while (state !== UNLOCKED) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      if (
        state === CONTENDED ||
        this.segment.compareExchange(cell, LOCKED, CONTENDED) !== UNLOCKED
      ) {
        await this.segment.waitAsync(cell, CONTENDED, remaining);
      }
      // Drepper's mutex2 re-takes the lock with compareExchange(cell, 0, 2): others may still sleep.
      state = this.segment.compareExchange(cell, UNLOCKED, LOCKED);
    }
    return true;
  }

  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED || state === CONTENDED) return null;
    return `Mutex segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0, 1 or 2`;
  }
}
