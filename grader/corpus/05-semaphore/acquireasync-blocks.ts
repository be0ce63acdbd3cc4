// BUG: acquireAsync calls the blocking acquire(), so it freezes the event loop (no timers, no I/O) while it waits
// MUST FAIL: acquireAsync waits without blocking the event loop
//
// An async function is not a background thread: its body runs on the caller's
// thread until its first await, and here there is none before acquire()
// sleeps in the futex.
import { Segment, ShimError } from '@ipc-course/shim';

const VALUE = 0;
const WAITERS = 1;
const MAX_VALUE = 0x7fffffff;

const isCount = (n: unknown): n is number =>
  Number.isInteger(n) && (n as number) >= 0 && (n as number) <= MAX_VALUE;

export class Semaphore {
  static readonly byteLength: number = 8;

  static init(segment: Segment, byteOffset: number, initial: number): Semaphore {
    if (!isCount(initial))
      throw new ShimError(
        'EINVAL',
        `Semaphore.init: initial must be an integer >= 0, got ${String(initial)}`,
      );
    const semaphore = new Semaphore(segment, byteOffset);
    segment.store(semaphore.#base + WAITERS, 0);
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
    return this.segment.load(this.#base + VALUE);
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

  acquire(timeoutMs: number = Infinity): boolean {
    if (this.tryAcquire()) return true;
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    this.segment.add(this.#base + WAITERS, 1);
    try {
      while (!this.tryAcquire()) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) return false;
        this.segment.wait(this.#base + VALUE, 0, remaining);
      }
      return true;
    } finally {
      this.segment.sub(this.#base + WAITERS, 1);
    }
  }

  async acquireAsync(timeoutMs: number = Infinity): Promise<boolean> {
    return this.acquire(timeoutMs); // "async", so it does not block. It does.
  }

  release(count: number = 1): void {
    if (!isCount(count))
      throw new ShimError(
        'EINVAL',
        `Semaphore.release: count must be a non-negative integer, got ${String(count)}`,
      );
    if (count === 0) return;
    this.segment.add(this.#base + VALUE, count);
    if (this.segment.load(this.#base + WAITERS) > 0) this.segment.notify(this.#base + VALUE, count);
  }

  checkInvariants(): string | null {
    const value = this.segment.load(this.#base + VALUE);
    const waiters = this.segment.load(this.#base + WAITERS);
    if (value >= 0 && waiters >= 0) return null;
    return `Semaphore segment="${this.segment.name}" byteOffset=${this.byteOffset} value=${value} waiters=${waiters}`;
  }
}
