// Mutex: a lock in one 32-bit cell of a shared segment. Every thread or
// process that attaches to the same (segment, byteOffset) shares the same lock.
//
// Cell states (after Drepper, "Futexes Are Tricky"):
//   0  UNLOCKED   nobody holds it
//   1  LOCKED     held, and nobody sleeps in the futex
//   2  CONTENDED  held, and there may be waiters asleep in the futex
//
// Invariants:
//   The cell is always 0, 1 or 2.
//   The cell is 0 exactly when no caller is inside the critical section.
//   A caller sleeps in the futex only after it has set the cell to 2.
//
// Who writes: lockers move the cell 0 -> 1, or to 2; only unlock moves it to 0
// (ShimError 'EPERM' if not locked). A caller that must wait sleeps, never spins.
//
// TODO: tryLock, lock, unlock, lockAsync, checkInvariants. Task: README.md;
// stuck? hints.md. Run: npm test -- exercises/04-mutex
import { Segment, ShimError } from '@ipc-course/shim';

const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;

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
    // TODO: one atomic step from UNLOCKED to LOCKED (a load then a store is a race).
    throw new Error('TODO: Mutex.tryLock');
  }

  /** Blocks until held (true) or until timeoutMs has passed (false). 0 tries once. */
  lock(timeoutMs: number = Infinity): boolean {
    // TODO: fast path, then announce CONTENDED, then `while` not acquired: sleep
    // in this.segment.wait(cell, CONTENDED, remaining) until a deadline from performance.now().
    throw new Error('TODO: Mutex.lock');
  }

  /** Releases the mutex and wakes one sleeper if there may be any. */
  unlock(): void {
    // TODO: store UNLOCKED and learn the old state in one step. Old state UNLOCKED:
    // throw new ShimError('EPERM', ...). CONTENDED: notify one waiter.
    throw new Error('TODO: Mutex.unlock');
  }

  /** lock() as a Promise: must never block the event loop. */
  async lockAsync(timeoutMs: number = Infinity): Promise<boolean> {
    // TODO: the same loop as lock(), with `await this.segment.waitAsync(...)`.
    throw new Error('TODO: Mutex.lockAsync');
  }

  /** null if the cell holds a named state, else one line describing every field. */
  checkInvariants(): string | null {
    // TODO: load the cell; return a line with segment name, byteOffset, cell and state if it is not 0, 1 or 2.
    throw new Error('TODO: Mutex.checkInvariants');
  }
}
