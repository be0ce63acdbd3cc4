// BUG: wait releases the mutex and polls SEQ with yieldThread instead of sleeping in the futex, burning a CPU while it waits
// MUST FAIL: sleeps in the futex while waiting (no CPU burnt)
//
// Every result is right, timeouts included. But a waiter stays runnable:
// sched_yield returns at once when no other thread wants the CPU, so a waiter
// uses a whole core for as long as it waits.
import { Segment, ShimError, yieldThread } from '@ipc-course/shim';

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
      // BUG: polls instead of sleeping in the futex
      const deadline = performance.now() + timeoutMs;
      result = 'timed-out';
      while (performance.now() < deadline) {
        if (this.segment.load(this.#base + SEQ) !== seq) {
          result = 'ok';
          break;
        }
        yieldThread();
      }
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
    this.segment.add(this.#base + SEQ, 1);
    this.segment.notify(this.#base + SEQ, count);
  }

  checkInvariants(): string | null {
    const seq = this.segment.load(this.#base + SEQ);
    const waiters = this.segment.load(this.#base + WAITERS);
    if (waiters >= 0) return null;
    return `ConditionVariable segment="${this.segment.name}" byteOffset=${this.byteOffset} seq=${seq} waiters=${waiters}: waiters must be >= 0`;
  }
}
