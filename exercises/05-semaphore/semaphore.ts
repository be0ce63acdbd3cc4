// Semaphore: a counting semaphore (Dijkstra's P and V) in two cells of a shared
// segment. Every thread or process that attaches to the same (segment,
// byteOffset) shares the same permits. Initialised with 1 it is binary.
//
// Cells (byteOffset + 0, + 4):
//   VALUE    free permits; waiters sleep on this cell while it is 0.
//   WAITERS  callers inside acquire/acquireAsync past their announcement: they may be asleep.
//
// Invariants:
//   VALUE >= 0 and WAITERS >= 0; VALUE = initial + released - acquired.
//   A caller sleeps only after it has added itself to WAITERS, and only while VALUE is 0.
// TODO: tryAcquire, acquire, acquireAsync, release, checkInvariants. Task:
// README.md; stuck? hints.md. Run: npm test -- exercises/05-semaphore
import { Segment, ShimError } from '@ipc-course/shim';

const VALUE = 0;
const WAITERS = 1;
const MAX_VALUE = 0x7fffffff;

export class Semaphore {
  /** Bytes a Semaphore needs in a segment: two cells. */
  static readonly byteLength: number = 8;

  /** Writes `initial` free permits and no waiters; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number, initial: number): Semaphore {
    if (!Number.isInteger(initial) || initial < 0 || initial > MAX_VALUE) {
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
  readonly #base: number; // cell index of VALUE; WAITERS is the next cell

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
    // TODO: compareExchange VALUE from v to v - 1 only if v > 0; retry if another caller changed it.
    throw new Error('TODO: Semaphore.tryAcquire');
  }

  /** Blocks until it takes a permit (true) or timeoutMs has passed (false). 0 tries once. */
  acquire(timeoutMs: number = Infinity): boolean {
    // TODO: fast path; announce in WAITERS; `while` no permit: wait(VALUE cell, 0, remaining). Undo WAITERS.
    throw new Error('TODO: Semaphore.acquire');
  }

  /** acquire() as a Promise: must never block the event loop. */
  async acquireAsync(timeoutMs: number = Infinity): Promise<boolean> {
    // TODO: the same loop as acquire(), with `await this.segment.waitAsync(...)`.
    throw new Error('TODO: Semaphore.acquireAsync');
  }

  /** Adds `count` permits and wakes the sleepers they are for. */
  release(count: number = 1): void {
    // TODO: not an integer >= 0: throw new ShimError('EINVAL', ...). Add, then wake enough for all.
    throw new Error('TODO: Semaphore.release');
  }

  /** null if both cells hold legal values, else one line describing every field. */
  checkInvariants(): string | null {
    // TODO: one line with segment name, byteOffset, cell, VALUE and WAITERS if either is negative.
    throw new Error('TODO: Semaphore.checkInvariants');
  }
}
