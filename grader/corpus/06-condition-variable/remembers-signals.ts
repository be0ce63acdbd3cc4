// BUG: each instance waits on the SEQ it saw at its previous wait, not the current one, and signal always adds to SEQ: a signal nobody waited for is remembered, and the next wait returns at once
// MUST FAIL: follows the contract on one thread: a signal with nobody waiting is harmless and not remembered
//
// A condition variable has no memory: that is the difference from a
// semaphore. Here the lost-wakeup fix is taken too far: SEQ is read once, and a
// signal given before anyone waits makes the next wait return true at once.
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
  #seen = 0;

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
    const seq = this.#seen; // BUG: the SEQ of the previous wait, not the current one
    this.#seen = this.segment.load(this.#base + SEQ);
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
