// BUG: waits under an `if`, not a `while`: a woken waiter proceeds without re-taking the lock, beside whoever took it first
// MUST FAIL: keeps exclusion and loses no wakeup under controlled schedules (2 workers + 1 process)
//
// After a notify (or a "not-equal" return) the lock may already belong to a
// caller that came by the fast path, and wait can return before any unlock at
// all. Only re-checking with an exchange in a loop makes the return mean
// "held".
import { Segment, ShimError } from '@ipc-course/shim';

const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;

export class Mutex {
  static readonly byteLength: number = 4;

  static init(segment: Segment, byteOffset: number): Mutex {
    const mutex = new Mutex(segment, byteOffset);
    segment.store(mutex.#cell, UNLOCKED);
    return mutex;
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly #cell: number;

  constructor(segment: Segment, byteOffset: number) {
    this.#cell = segment.cellIndex(byteOffset, 1);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  tryLock(): boolean {
    return this.segment.compareExchange(this.#cell, UNLOCKED, LOCKED) === UNLOCKED;
  }

  lock(timeoutMs: number = Infinity): boolean {
    if (this.tryLock()) return true;
    if (timeoutMs === 0) return false;
    if (this.segment.exchange(this.#cell, CONTENDED) !== UNLOCKED) {
      // `if`, not `while`: once woken, it walks in without taking the lock again.
      if (this.segment.wait(this.#cell, CONTENDED, timeoutMs) === 'timed-out') return false;
    }
    return true;
  }

  unlock(): void {
    const previous = this.segment.exchange(this.#cell, UNLOCKED);
    if (previous === UNLOCKED)
      throw new ShimError(
        'EPERM',
        `Mutex.unlock: not locked (segment "${this.segment.name}", byte ${this.byteOffset})`,
      );
    if (previous === CONTENDED) this.segment.notify(this.#cell, 1);
  }

  async lockAsync(timeoutMs: number = Infinity): Promise<boolean> {
    if (this.tryLock()) return true;
    if (timeoutMs === 0) return false;
    if (this.segment.exchange(this.#cell, CONTENDED) !== UNLOCKED) {
      // `if`, not `while`: once woken, it walks in without taking the lock again.
      if ((await this.segment.waitAsync(this.#cell, CONTENDED, timeoutMs)) === 'timed-out')
        return false;
    }
    return true;
  }

  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED || state === CONTENDED) return null;
    return `Mutex segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0, 1 or 2`;
  }
}
