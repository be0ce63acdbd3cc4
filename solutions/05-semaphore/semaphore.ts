// Semaphore: a counting semaphore (Dijkstra's P and V) in two 32-bit cells of a
// shared segment. Every thread or process that attaches to the same
// (segment, byteOffset) shares the same permits. Initialised with 1 it is a
// binary semaphore: a lock that any thread may release.
//
// Cells (byteOffset + 0, + 4):
//   VALUE    free permits; waiters sleep on this cell while it is 0.
//   WAITERS  callers inside acquire/acquireAsync past their announcement: they may be asleep.
//
// Invariants:
//   0 <= VALUE <= MAX_VALUE, and WAITERS >= 0 (WAITERS is 0 when no call is in progress).
//   VALUE = initial + every release(n)'s n - every successful acquire.
//   A caller sleeps only after it has added itself to WAITERS, and only while
//   VALUE is 0; release publishes its permits before it reads WAITERS, so a
//   sleeper is either seen by release (and woken) or sees the permits itself.
//
// Who writes: acquirers take VALUE v -> v - 1 (compareExchange, only if v > 0)
// and move WAITERS up and back down; release(n) adds n. Nothing spins.
import { Segment, ShimError } from '@ipc-course/shim';

const VALUE = 0;
const WAITERS = 1;
/** The largest value a cell holds (POSIX calls it SEM_VALUE_MAX). */
const MAX_VALUE = 0x7fffffff;

const isCount = (n: unknown): n is number =>
  Number.isInteger(n) && (n as number) >= 0 && (n as number) <= MAX_VALUE;

function checkTimeout(timeoutMs: unknown, method: string): void {
  if (typeof timeoutMs === 'number' && timeoutMs >= 0) return; // NaN fails too
  throw new ShimError(
    'EINVAL',
    `Semaphore.${method}: timeoutMs must be a number >= 0 (or Infinity), got ${String(timeoutMs)}`,
  );
}

export class Semaphore {
  /** Bytes a Semaphore needs in a segment: two cells. */
  static readonly byteLength: number = 8;

  /** Writes `initial` free permits and no waiters; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number, initial: number): Semaphore {
    if (!isCount(initial)) {
      throw new ShimError(
        'EINVAL',
        `Semaphore.init: initial must be an integer from 0 to ${MAX_VALUE}, got ${String(initial)}`,
      );
    }
    const semaphore = new Semaphore(segment, byteOffset);
    segment.store(semaphore.#base + WAITERS, 0);
    segment.store(semaphore.#base + VALUE, initial);
    return semaphore;
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  /** Cell index of VALUE; WAITERS is the next cell. */
  readonly #base: number;

  /** Attaches to a semaphore that init() laid out; throws EALIGN or ERANGE for a bad offset. */
  constructor(segment: Segment, byteOffset: number) {
    this.#base = segment.cellIndex(byteOffset, 2);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  /** Free permits now: a snapshot, other threads may change it at once. */
  get value(): number {
    return this.segment.load(this.#base + VALUE);
  }

  /** Takes one permit if there is one; never blocks. */
  tryAcquire(): boolean {
    const cell = this.#base + VALUE;
    // Decrement only from a value we saw, in one step: a load then a sub would
    // let two callers take the same last permit and drive VALUE below 0.
    for (let value = this.segment.load(cell); value > 0; ) {
      const seen = this.segment.compareExchange(cell, value, value - 1);
      if (seen === value) return true;
      value = seen; // another caller changed it first: retry from what it wrote
    }
    return false;
  }

  /** Blocks until it takes a permit (true) or timeoutMs has passed (false). 0 tries once. */
  acquire(timeoutMs: number = Infinity): boolean {
    checkTimeout(timeoutMs, 'acquire');
    if (this.tryAcquire()) return true; // fast path: no system call, WAITERS untouched
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    // Announce before the re-check below: from here on, a release reads
    // WAITERS > 0 and notifies (partner: the WAITERS load in release).
    this.segment.add(this.#base + WAITERS, 1);
    try {
      // Re-check after announcing and after every wakeup: a release may have
      // come before we announced, or a faster caller took the woken permit.
      while (!this.tryAcquire()) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) return false; // nothing taken: VALUE is as we found it
        // Sleep only while VALUE is still 0: a release that added permits after
        // our tryAcquire makes this return 'not-equal' at once. No lost wakeup.
        this.segment.wait(this.#base + VALUE, 0, remaining);
      }
      return true;
    } finally {
      this.segment.sub(this.#base + WAITERS, 1);
    }
  }

  /** acquire() as a Promise: sleeps with waitAsync, so timers and I/O keep running. */
  async acquireAsync(timeoutMs: number = Infinity): Promise<boolean> {
    checkTimeout(timeoutMs, 'acquireAsync');
    if (this.tryAcquire()) return true;
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    // Same protocol as acquire(), line for line: announce, re-check, sleep.
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

  /** Adds `count` permits and wakes up to `count` sleepers. EINVAL unless count is an integer >= 0. */
  release(count: number = 1): void {
    if (!isCount(count)) {
      throw new ShimError(
        'EINVAL',
        `Semaphore.release: count must be a non-negative integer, got ${String(count)}; call release() for one permit`,
      );
    }
    if (count === 0) return;
    const cell = this.#base + VALUE;
    // Publish the permits first (partner: the announcement in acquire), with
    // compareExchange so that VALUE never wraps past MAX_VALUE to negative.
    for (let value = this.segment.load(cell), seen: number; ; value = seen) {
      if (count > MAX_VALUE - value)
        throw new ShimError(
          'EOVERFLOW',
          `Semaphore.release: ${value} + ${count} permits would exceed ${MAX_VALUE}`,
        );
      seen = this.segment.compareExchange(cell, value, value + count);
      if (seen === value) break;
    }
    // Then look for sleepers. A waiter whose announcement this load misses
    // re-checks VALUE after it, and sees our permits. One woken per permit: waking
    // only one for release(n) would leave n - 1 permits beside sleepers.
    if (this.segment.load(this.#base + WAITERS) > 0) this.segment.notify(cell, count);
  }

  /** null if both cells hold legal values, else one line describing every field. */
  checkInvariants(): string | null {
    const value = this.segment.load(this.#base + VALUE);
    const waiters = this.segment.load(this.#base + WAITERS);
    if (value >= 0 && waiters >= 0) return null;
    return `Semaphore segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#base} value=${value} waiters=${waiters}: value and waiters must both be >= 0`;
  }
}
