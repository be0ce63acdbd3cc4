// SpinLock: a lock in one 32-bit cell of a shared segment, taken by spinning.
// Every thread or process that attaches to the same (segment, byteOffset)
// shares the same lock. A caller that finds it held does not sleep: it keeps
// looking, politely (test-and-test-and-set, bounded backoff, then yield).
//
// Cell states:
//   0  UNLOCKED  nobody holds it
//   1  LOCKED    one caller holds it
//
// Invariants:
//   The cell is always 0 or 1.
//   The cell is 1 exactly when one caller is inside the critical section.
//   Waiters only read the cell; they write it only in the exchange that may
//   take it, and only after a read saw 0.
//
// Who writes the cell: lockers move it 0 -> 1 (exchange, compareExchange);
// only the holder moves it back to 0 (unlock's exchange). Nothing sleeps in the
// futex: the spinlock is the course's example of a lock that burns CPU to wait.
import { Segment, ShimError, yieldThread } from '@ipc-course/shim';

const UNLOCKED = 0;
const LOCKED = 1;

/** Reads of the cell between two looks, at first; doubled after each failed look. */
const FIRST_BACKOFF = 4;
/** Past this many reads between looks, a waiter yields the CPU at each look instead. */
const LAST_BACKOFF = 1024;

export class SpinLock {
  /** Bytes a SpinLock needs in a segment: one cell. */
  static readonly byteLength: number = 4;

  /** Writes the initial state (unlocked) at byteOffset; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number): SpinLock {
    const lock = new SpinLock(segment, byteOffset);
    segment.store(lock.#cell, UNLOCKED);
    return lock;
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  /** Cell index of the lock word: the only state this lock has. */
  readonly #cell: number;

  /** Attaches to a lock that init() laid out; throws EALIGN or ERANGE for a bad offset. */
  constructor(segment: Segment, byteOffset: number) {
    this.#cell = segment.cellIndex(byteOffset, 1);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  /** Takes the lock if it is free; never waits. */
  tryLock(): boolean {
    // One atomic step: a load followed by a store would let two callers both see 0.
    return this.segment.compareExchange(this.#cell, UNLOCKED, LOCKED) === UNLOCKED;
  }

  /** Spins until the caller holds the lock. */
  lock(): void {
    const cell = this.#cell;
    let backoff = FIRST_BACKOFF;
    for (;;) {
      // Test: a load only reads the cache line, so while the holder works every
      // waiter reads its own copy and the line stays put.
      // And set: only when the load saw 0 do we write, with exchange, the one
      // atomic step that tells us whether we took it or another waiter did.
      if (this.segment.load(cell) === UNLOCKED && this.segment.exchange(cell, LOCKED) === UNLOCKED)
        return;
      if (backoff <= LAST_BACKOFF) {
        // Back off: the lock is held, or another waiter won the race. Wait
        // twice as long before each new look, so waiters stop rushing at once.
        for (let i = 0; i < backoff; i++) this.segment.load(cell);
        backoff *= 2;
      } else {
        // Waited long: the holder may be off the CPU (2 cores, 6 threads) and
        // need ours to finish. Give it away; we are back at once if no one wants it.
        yieldThread();
      }
    }
  }

  /** Releases the lock. Throws EPERM if it is not locked. */
  unlock(): void {
    // Learn the old state and write 0 in one step: a load then a store could
    // clear a lock someone else took in between.
    const previous = this.segment.exchange(this.#cell, UNLOCKED);
    if (previous === UNLOCKED) {
      // exchange stored 0 over 0: nothing changed, the misuse is harmless.
      throw new ShimError(
        'EPERM',
        `SpinLock.unlock: the lock at byte ${this.byteOffset} of segment "${this.segment.name}" is not locked; unlock only after lock() or tryLock() returned true`,
      );
    }
  }

  /** null if the cell holds a named state, else one line describing every field. */
  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED) return null;
    return `SpinLock segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0 (unlocked) or 1 (locked)`;
  }
}
