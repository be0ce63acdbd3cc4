// BUG: the textbook P/V with a count that goes negative (-k = k sleepers); a timed acquire that gives up never adds back its decrement, so the permit it waited for is lost
// MUST FAIL: gives up a timed acquire in about its time, leaving the value unchanged
// DESIGN: the textbook P/V: VALUE goes negative (-k = k sleepers) and release hands permits to sleepers through a second cell
//
// P: old = VALUE--, and if old <= 0 sleep until a V hands over a permit.
// V: VALUE++, and if the old value was < 0 somebody sleeps: hand over and wake one.
// Untimed, this works. A waiter that times out leaves its -1 in VALUE, so the
// next release fills that hole instead of making a permit, and `value` (which
// clamps at 0 to keep its promise) hides it.
import { Segment, ShimError } from '@ipc-course/shim';

const VALUE = 0; // permits if >= 0; -k when k callers wait
const HANDOFFS = 1; // permits handed to sleepers, not yet picked up

export class Semaphore {
  static readonly byteLength: number = 8;

  static init(segment: Segment, byteOffset: number, initial: number): Semaphore {
    if (!Number.isInteger(initial) || initial < 0)
      throw new ShimError(
        'EINVAL',
        `Semaphore.init: initial must be an integer >= 0, got ${String(initial)}`,
      );
    const semaphore = new Semaphore(segment, byteOffset);
    segment.store(semaphore.#base + HANDOFFS, 0);
    segment.store(semaphore.#base + VALUE, initial);
    return semaphore;
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly #base: number;

  constructor(segment: Segment, byteOffset: number) {
    this.#base = segment.cellIndex(byteOffset, 2);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  get value(): number {
    return Math.max(0, this.segment.load(this.#base + VALUE));
  }

  tryAcquire(): boolean {
    const cell = this.#base + VALUE;
    for (let value = this.segment.load(cell); value > 0; ) {
      const seen = this.segment.compareExchange(cell, value, value - 1);
      if (seen === value) return true;
      value = seen;
    }
    return false;
  }

  /** Takes a handed-over permit, if there is one. */
  #pickUp(): boolean {
    const cell = this.#base + HANDOFFS;
    for (let handed = this.segment.load(cell); handed > 0; ) {
      const seen = this.segment.compareExchange(cell, handed, handed - 1);
      if (seen === handed) return true;
      handed = seen;
    }
    return false;
  }

  acquire(timeoutMs: number = Infinity): boolean {
    if (this.tryAcquire()) return true;
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    if (this.segment.sub(this.#base + VALUE, 1) > 0) return true; // P: a permit after all
    while (!this.#pickUp()) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false; // gives up, but VALUE keeps our -1
      this.segment.wait(this.#base + HANDOFFS, 0, remaining);
    }
    return true;
  }

  async acquireAsync(timeoutMs: number = Infinity): Promise<boolean> {
    if (this.tryAcquire()) return true;
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    if (this.segment.sub(this.#base + VALUE, 1) > 0) return true;
    while (!this.#pickUp()) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      await this.segment.waitAsync(this.#base + HANDOFFS, 0, remaining);
    }
    return true;
  }

  release(count: number = 1): void {
    if (!Number.isInteger(count) || count < 0)
      throw new ShimError(
        'EINVAL',
        `Semaphore.release: count must be a non-negative integer, got ${String(count)}`,
      );
    for (let i = 0; i < count; i++) {
      // V: a negative old value means a sleeper: hand the permit over and wake it.
      if (this.segment.add(this.#base + VALUE, 1) < 0) {
        this.segment.add(this.#base + HANDOFFS, 1);
        this.segment.notify(this.#base + HANDOFFS, 1);
      }
    }
  }

  checkInvariants(): string | null {
    const handoffs = this.segment.load(this.#base + HANDOFFS);
    if (handoffs >= 0) return null;
    return `Semaphore segment="${this.segment.name}" byteOffset=${this.byteOffset} handoffs=${handoffs}`;
  }
}
