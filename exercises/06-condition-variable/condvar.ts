// ConditionVariable: lets a thread that holds a mutex sleep until another
// thread says "the state you wait for may have changed". Two cells of a shared
// segment. Mesa semantics: a wakeup is a hint; callers re-check in a `while`.
//
// Cells:
//   SEQ      the futex word: signal and broadcast add 1; a waiter sleeps
//            only while SEQ still holds the value it read
//   WAITERS  how many callers are inside wait/waitAsync
// Invariants:
//   WAITERS >= 0, and WAITERS is 0 when no call is in progress.
//   A waiter reads SEQ and adds itself to WAITERS while it still holds the mutex.
//
// TODO: wait, waitAsync, signal, broadcast, checkInvariants. Task: README.md;
// stuck? hints.md. Run: npm test -- exercises/06-condition-variable
import { Segment, ShimError } from '@ipc-course/shim';

/** What wait() needs from a mutex; the Mutex in ./mutex.ts fits. */
export interface MutexLike {
  lock(timeoutMs?: number): boolean;
  unlock(): void;
}

/** What waitAsync() needs: a mutex that can also be taken without blocking the event loop. */
export interface AsyncMutexLike {
  lockAsync(timeoutMs?: number): Promise<boolean>;
  unlock(): void;
}

const SEQ = 0;
const WAITERS = 1;

export class ConditionVariable {
  /** Bytes a ConditionVariable needs in a segment: two cells. */
  static readonly byteLength: number = 8;

  /** Writes the initial state (nobody waiting) at byteOffset; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number): ConditionVariable {
    const condition = new ConditionVariable(segment, byteOffset);
    segment.store(condition.#base + SEQ, 0);
    segment.store(condition.#base + WAITERS, 0);
    return condition;
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly #base: number; // cell index of SEQ; WAITERS is the next cell

  /** Attaches to a condition variable that init() laid out; throws EALIGN or ERANGE for a bad offset. */
  constructor(segment: Segment, byteOffset: number) {
    this.#base = segment.cellIndex(byteOffset, 2);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  /** Call holding `mutex`: releases it, sleeps, re-takes it (also on timeout). False on timeout. */
  wait(mutex: MutexLike, timeoutMs: number = Infinity): boolean {
    // TODO: read SEQ and add 1 to WAITERS *before* mutex.unlock() (why? lesson 06);
    // this.segment.wait(SEQ cell, the value read, timeoutMs); remove yourself from
    // WAITERS; mutex.lock() again, with no timeout; return false only if 'timed-out'.
    throw new Error('TODO: ConditionVariable.wait');
  }

  /** wait() as a Promise: must never block the event loop. */
  async waitAsync(mutex: AsyncMutexLike, timeoutMs: number = Infinity): Promise<boolean> {
    // TODO: the same steps with `await this.segment.waitAsync(...)`, `await mutex.lockAsync()`.
    throw new Error('TODO: ConditionVariable.waitAsync');
  }

  /** Wakes at least one waiter, if any waits. */
  signal(): void {
    // TODO: if WAITERS is 0, return. Else change SEQ first, then notify one.
    throw new Error('TODO: ConditionVariable.signal');
  }

  /** Wakes every current waiter. */
  broadcast(): void {
    throw new Error('TODO: ConditionVariable.broadcast (as signal, but notify them all)');
  }

  /** null if the cells are consistent, else one line describing every field. */
  checkInvariants(): string | null {
    // TODO: return a line with segment name, byteOffset, SEQ and WAITERS if WAITERS < 0.
    throw new Error('TODO: ConditionVariable.checkInvariants');
  }
}
