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
// Who writes: lockers move the cell 0 -> 1; only unlock moves it back to 0
// (ShimError 'EPERM' if not locked). Nothing sleeps in the futex.
//
// TODO: tryLock, lock, unlock, checkInvariants. Task: README.md;
// stuck? hints.md. Run: npm test -- exercises/03-spinlock
import { Segment, ShimError, yieldThread } from '@ipc-course/shim';

const UNLOCKED = 0;
const LOCKED = 1;

/** Reads of the cell between two looks, at first; double it after each failed look. */
const FIRST_BACKOFF = 4;
/** Past this many reads between looks, yield the CPU at each look instead. */
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
    // TODO: one atomic step from UNLOCKED to LOCKED (a load then a store is a race).
    throw new Error('TODO: SpinLock.tryLock');
  }

  /** Spins until the caller holds the lock. */
  lock(): void {
    // TODO: loop: test (load sees UNLOCKED) and set (exchange returns UNLOCKED): done.
    // Otherwise back off: FIRST_BACKOFF loads, doubling up to LAST_BACKOFF; then yieldThread().
    throw new Error('TODO: SpinLock.lock');
  }

  /** Releases the lock. Throws EPERM if it is not locked. */
  unlock(): void {
    // TODO: store UNLOCKED and learn the old state in one step. Old state UNLOCKED:
    // throw new ShimError('EPERM', ...).
    throw new Error('TODO: SpinLock.unlock');
  }

  /** null if the cell holds a named state, else one line describing every field. */
  checkInvariants(): string | null {
    // TODO: load the cell; return a line with segment name, byteOffset, cell and state if it is not 0 or 1.
    throw new Error('TODO: SpinLock.checkInvariants');
  }
}
