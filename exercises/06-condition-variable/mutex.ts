// Provided, not graded: the reference Mutex of exercise 04 (solutions/04-mutex/mutex.ts),
// so that this exercise stands alone. ConditionVariable.wait takes it as its mutex.
// The grader uses its own copy of this file, whatever a submission's copy says.
//
// Mutex: a lock in one 32-bit cell of a shared segment. Every thread or
// process that attaches to the same (segment, byteOffset) shares the same lock.
//
// Cell states (after Drepper, "Futexes Are Tricky", mutex3):
//   0  UNLOCKED   nobody holds it
//   1  LOCKED     held, and nobody sleeps in the futex
//   2  CONTENDED  held, and there may be waiters asleep in the futex
//
// Invariants:
//   The cell is always 0, 1 or 2.
//   The cell is 0 exactly when no caller is inside the critical section.
//   A caller sleeps in the futex only after it has set the cell to 2,
//   so the unlock that follows sees 2 and wakes one sleeper.
//
// Who writes the cell: lockers move it 0 -> 1 (compareExchange) or to 2
// (exchange); only the holder moves it back to 0 (unlock's exchange).
// Nothing spins without bound: a caller that cannot proceed sleeps in the futex.
import { Segment, ShimError } from '@ipc-course/shim';

const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;

function checkTimeout(timeoutMs: unknown, method: string): number {
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new ShimError(
      'EINVAL',
      `Mutex.${method}: timeoutMs must be a number >= 0 (or Infinity), got ${String(timeoutMs)}`,
    );
  }
  return timeoutMs;
}

export class Mutex {
  /** Bytes a Mutex needs in a segment: one cell. */
  static readonly byteLength: number = 4;

  /** Writes the initial state (unlocked) at byteOffset; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number): Mutex {
    const mutex = new Mutex(segment, byteOffset);
    segment.store(mutex.#cell, UNLOCKED);
    return mutex;
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  /** Cell index of the lock word: the only state this mutex has. */
  readonly #cell: number;

  /** Attaches to a mutex that init() laid out; throws EALIGN or ERANGE for a bad offset. */
  constructor(segment: Segment, byteOffset: number) {
    this.#cell = segment.cellIndex(byteOffset, 1);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  /** Takes the mutex if it is free; never blocks. */
  tryLock(): boolean {
    // One atomic step: a load followed by a store would let two callers both see 0.
    return this.segment.compareExchange(this.#cell, UNLOCKED, LOCKED) === UNLOCKED;
  }

  /**
   * Blocks until the caller holds the mutex (true), or until timeoutMs has
   * passed (false). A timeout of 0 tries once and never blocks.
   */
  lock(timeoutMs: number = Infinity): boolean {
    checkTimeout(timeoutMs, 'lock');
    if (this.tryLock()) return true; // fast path: free, and nobody waits
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    const cell = this.#cell;
    // Announce: from now on the cell says "there may be waiters", so the
    // holder's unlock will notify (see unlock). If it was 0, we hold it.
    // We set 2, not 1, even when we win: we cannot know whether others sleep.
    let state = this.segment.exchange(cell, CONTENDED);
    while (state !== UNLOCKED) {
      // Give up only right after an exchange that saw the lock held: the cell
      // is then 2, so its holder still notifies any other sleeper.
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      // Sleep only while the cell is still 2. If unlock stored 0 after our
      // exchange, wait returns 'not-equal' at once: no lost wakeup.
      this.segment.wait(cell, CONTENDED, remaining);
      // Re-check after every wakeup (notify, not-equal or timeout): another
      // caller may have taken the lock first. `while`, never `if`.
      state = this.segment.exchange(cell, CONTENDED);
    }
    return true;
  }

  /** Releases the mutex and wakes one sleeper if there may be any. Throws EPERM if not locked. */
  unlock(): void {
    const cell = this.#cell;
    // Read the old state and store 0 in one step, so a waiter's announcement
    // (the exchange to 2 in lock) is either seen here or comes after our 0.
    const previous = this.segment.exchange(cell, UNLOCKED);
    if (previous === UNLOCKED) {
      // exchange stored 0 over 0: nothing changed, the misuse is harmless.
      throw new ShimError(
        'EPERM',
        `Mutex.unlock: the mutex at byte ${this.byteOffset} of segment "${this.segment.name}" is not locked; unlock only after lock() or tryLock() returned true`,
      );
    }
    // Partner of the exchange to 2 in lock/lockAsync: 2 means someone may be
    // asleep on the cell, and it sleeps until a notify. Wake one; it will set 2
    // again when it takes the lock, so the others are not forgotten.
    if (previous === CONTENDED) this.segment.notify(cell, 1);
  }

  /** lock() as a Promise: sleeps with waitAsync, so timers and I/O keep running. */
  async lockAsync(timeoutMs: number = Infinity): Promise<boolean> {
    checkTimeout(timeoutMs, 'lockAsync');
    if (this.tryLock()) return true;
    if (timeoutMs === 0) return false;
    const deadline = performance.now() + timeoutMs;
    const cell = this.#cell;
    // Same protocol as lock(), line for line: announce, re-check, sleep.
    let state = this.segment.exchange(cell, CONTENDED);
    while (state !== UNLOCKED) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      await this.segment.waitAsync(cell, CONTENDED, remaining);
      state = this.segment.exchange(cell, CONTENDED);
    }
    return true;
  }

  /** null if the cell holds a named state, else one line describing every field. */
  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED || state === CONTENDED) return null;
    return `Mutex segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0 (unlocked), 1 (locked) or 2 (contended)`;
  }
}
