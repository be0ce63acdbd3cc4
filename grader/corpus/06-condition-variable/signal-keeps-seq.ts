// BUG: signal and broadcast notify without changing SEQ, so a waiter that has released the mutex but is not asleep yet sleeps through the signal
// MUST FAIL: wakes a waiter that released the mutex but has not slept yet (no lost wakeup)
//
// A waiter already in the futex is woken by the notify, so slow signals
// work. But one between its unlock and its futex wait finds SEQ unchanged,
// sleeps, and the notify that was meant for it has already passed.
import { Segment, ShimError } from '@ipc-course/shim';

export interface MutexLike {
  lock(timeoutMs?: number): boolean;
  unlock(): void;
}
export interface AsyncMutexLike {
  lockAsync(timeoutMs?: number): Promise<boolean>;
  unlock(): void;
}

const SEQ = 0;
const WAITERS = 1;

function checkTimeout(timeoutMs: unknown, method: string): void {
  if (typeof timeoutMs === 'number' && timeoutMs >= 0) return;
  throw new ShimError(
    'EINVAL',
    `ConditionVariable.${method}: timeoutMs must be a number >= 0, got ${String(timeoutMs)}`,
  );
}

export class ConditionVariable {
  static readonly byteLength: number = 8;

  static init(segment: Segment, byteOffset: number): ConditionVariable {
    const condition = new ConditionVariable(segment, byteOffset);
    segment.store(condition.#base + SEQ, 0);
    segment.store(condition.#base + WAITERS, 0);
    return condition;
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly #base: number;

  constructor(segment: Segment, byteOffset: number) {
    this.#base = segment.cellIndex(byteOffset, 2);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  wait(mutex: MutexLike, timeoutMs: number = Infinity): boolean {
    checkTimeout(timeoutMs, 'wait');
    const seq = this.#announce(mutex);
    let result: string;
    try {
      result = this.segment.wait(this.#base + SEQ, seq, timeoutMs);
    } finally {
      this.segment.sub(this.#base + WAITERS, 1);
    }
    mutex.lock();
    return result !== 'timed-out';
  }

  async waitAsync(mutex: AsyncMutexLike, timeoutMs: number = Infinity): Promise<boolean> {
    checkTimeout(timeoutMs, 'waitAsync');
    const seq = this.#announce(mutex);
    let result: string;
    try {
      result = await this.segment.waitAsync(this.#base + SEQ, seq, timeoutMs);
    } finally {
      this.segment.sub(this.#base + WAITERS, 1);
    }
    await mutex.lockAsync();
    return result !== 'timed-out';
  }

  #announce(mutex: { unlock(): void }): number {
    const seq = this.segment.load(this.#base + SEQ);
    this.segment.add(this.#base + WAITERS, 1);
    try {
      mutex.unlock();
    } catch (error) {
      this.segment.sub(this.#base + WAITERS, 1);
      throw error;
    }
    return seq;
  }

  signal(): void {
    this.#wake(1);
  }

  broadcast(): void {
    this.#wake(Infinity);
  }

  #wake(count: number): void {
    if (this.segment.load(this.#base + WAITERS) === 0) return;
    // BUG: no add to SEQ: the futex word never changes
    this.segment.notify(this.#base + SEQ, count);
  }

  checkInvariants(): string | null {
    const seq = this.segment.load(this.#base + SEQ);
    const waiters = this.segment.load(this.#base + WAITERS);
    if (waiters >= 0) return null;
    return `ConditionVariable segment="${this.segment.name}" byteOffset=${this.byteOffset} seq=${seq} waiters=${waiters}: waiters must be >= 0`;
  }
}
