// BUG: lock spins on compareExchange with yieldThread and never sleeps in the futex, burning a CPU while blocked
// MUST FAIL: sleeps in the futex while blocked (no CPU burnt)
//
// Every result is right, timeouts included, so correctness tests pass. But a
// blocked caller stays runnable: sched_yield returns at once when no other
// thread wants the CPU, so the waiter uses a whole core for as long as it
// waits.
import { Segment, ShimError, yieldThread } from '@ipc-course/shim';

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
    const deadline = performance.now() + timeoutMs;
    while (!this.tryLock()) {
      if (performance.now() >= deadline) return false;
      yieldThread(); // stays runnable: no futex wait, so unlock never needs to notify
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
    const deadline = performance.now() + timeoutMs;
    while (!this.tryLock()) {
      if (performance.now() >= deadline) return false;
      await new Promise((resolve) => setImmediate(resolve)); // polls: the loop never idles
    }
    return true;
  }

  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED || state === CONTENDED) return null;
    return `Mutex segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0, 1 or 2`;
  }
}
