// BUG: tryAcquire checks the value, then decrements with a separate sub: two callers can both see the last permit and both take it
// MUST FAIL: never lets more holders in than permits (4 workers + 2 processes)
//
// Each step is atomic, the pair is not: between the load and the sub another
// caller takes the permit, and the value goes to -1 while one holder too many
// is inside. Every release adds back what was taken, so the final count even
// looks right.
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
    if (this.segment.load(cell) > 0) {
      this.segment.sub(cell, 1); // "there was a permit, so take it"
      return true;
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
    if (this.tryAcquire()) return true;
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    this.segment.add(this.#base + WAITERS, 1);
    try {
      while (!this.tryAcquire()) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) return false;
        await this.segment.waitAsync(this.#base + VALUE, 0, remaining);
      }
      return true;
    } finally {
      this.segment.sub(this.#base + WAITERS, 1);
    }
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
