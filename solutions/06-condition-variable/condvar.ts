// ConditionVariable: lets a thread that holds a mutex sleep until another
// thread says "the state you wait for may have changed". Two cells of a shared
// segment; every thread or process attached to the same (segment, byteOffset)
// shares it. Mesa semantics: a wakeup is a hint, so callers re-check their
// condition in a `while` loop; spurious wakeups are allowed.
//
// Cells:
//   SEQ      sequence number, the futex word: signal and broadcast add 1, and
//            waiters sleep while it still holds the value they read
//   WAITERS  how many callers are inside wait/waitAsync (announced, not yet
//            out of their futex wait)
//
// Invariants:
//   WAITERS >= 0, and WAITERS is 0 when no call is in progress.
//   A waiter reads SEQ and adds itself to WAITERS while it still holds the
//   mutex: any signal that matters comes after its unlock, so after both.
//   SEQ may wrap around; only "changed or not" matters.
// Who writes: waiters add and remove themselves from WAITERS; signal and
// broadcast add 1 to SEQ, only when WAITERS > 0.
import { Segment, ShimError } from '@ipc-course/shim';

/** What wait() needs from a mutex; the Mutex of exercise 04 (./mutex.ts) fits. */
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

function checkTimeout(timeoutMs: unknown, method: string): void {
  if (typeof timeoutMs === 'number' && timeoutMs >= 0) return; // NaN fails too
  throw new ShimError(
    'EINVAL',
    `ConditionVariable.${method}: timeoutMs must be a number >= 0 (or Infinity), got ${String(timeoutMs)}`,
  );
}

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
  /** Cell index of SEQ; WAITERS is the next cell. */
  readonly #base: number;

  /** Attaches to a condition variable that init() laid out; throws EALIGN or ERANGE for a bad offset. */
  constructor(segment: Segment, byteOffset: number) {
    this.#base = segment.cellIndex(byteOffset, 2);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  /**
   * Call only while holding `mutex`. Releases it, sleeps until a signal or
   * broadcast (or a spurious wakeup, or timeoutMs), then takes `mutex` again
   * before returning, also on timeout. False if the time ran out.
   */
  wait(mutex: MutexLike, timeoutMs: number = Infinity): boolean {
    checkTimeout(timeoutMs, 'wait');
    const seq = this.#announce(mutex);
    let result: string;
    try {
      // Sleep only while SEQ still holds what we read under the mutex. A signal
      // that came between our unlock and this line changed it: 'not-equal' at once.
      result = this.segment.wait(this.#base + SEQ, seq, timeoutMs);
    } finally {
      this.segment.sub(this.#base + WAITERS, 1); // partner: the add in #announce
    }
    // Re-lock, with no timeout, also after one: the caller re-checks its condition next (Mesa).
    mutex.lock();
    return result !== 'timed-out';
  }

  /** wait() as a Promise: sleeps with waitAsync and re-locks with lockAsync, never blocking the event loop. */
  async waitAsync(mutex: AsyncMutexLike, timeoutMs: number = Infinity): Promise<boolean> {
    checkTimeout(timeoutMs, 'waitAsync');
    const seq = this.#announce(mutex);
    let result: string;
    try {
      result = await this.segment.waitAsync(this.#base + SEQ, seq, timeoutMs); // as in wait()
    } finally {
      this.segment.sub(this.#base + WAITERS, 1);
    }
    await mutex.lockAsync();
    return result !== 'timed-out';
  }

  /**
   * Call only while holding `mutex`: reads SEQ and counts the caller in
   * WAITERS, then unlocks. Returns the SEQ it read.
   */
  #announce(mutex: { unlock(): void }): number {
    // Read SEQ *before* unlocking. Whoever makes our condition true must take
    // the mutex to do it, so its signal comes after our unlock, hence after
    // this read: it moves SEQ past `seq` and our futex wait cannot sleep
    // through it. Read after unlocking, and the signal could land in between:
    // we would sleep on the new value, and its wakeup would be lost.
    const seq = this.segment.load(this.#base + SEQ);
    // Announce before unlocking too, for the same reason: signal skips its
    // system call when it sees WAITERS = 0 (partner: the load in #wake).
    this.segment.add(this.#base + WAITERS, 1);
    try {
      mutex.unlock(); // the caller's misuse (not holding it) throws EPERM here
    } catch (error) {
      this.segment.sub(this.#base + WAITERS, 1);
      throw error;
    }
    return seq;
  }

  /** Wakes at least one waiter, if any waits. Best called while holding the mutex. */
  signal(): void {
    this.#wake(1);
  }

  /** Wakes every current waiter. */
  broadcast(): void {
    this.#wake(Infinity);
  }

  #wake(count: number): void {
    // Nobody announced: no system call (partner: the add in #announce).
    if (this.segment.load(this.#base + WAITERS) === 0) return;
    // Change the futex word first, then notify: a waiter not yet asleep sees
    // the new SEQ and returns 'not-equal'; one asleep is woken by the notify.
    this.segment.add(this.#base + SEQ, 1);
    this.segment.notify(this.#base + SEQ, count);
  }

  /** null if the cells are consistent, else one line describing every field. */
  checkInvariants(): string | null {
    const seq = this.segment.load(this.#base + SEQ);
    const waiters = this.segment.load(this.#base + WAITERS);
    if (waiters >= 0) return null;
    return `ConditionVariable segment="${this.segment.name}" byteOffset=${this.byteOffset} cells=${this.#base},${this.#base + 1} seq=${seq} waiters=${waiters}: waiters must be >= 0`;
  }
}
