// BUG: lockAsync calls the blocking lock(), so it freezes the event loop (no timers, no I/O) while it waits
// MUST FAIL: lockAsync waits without blocking the event loop
//
// An async function is not a background thread: its body runs on the caller's
// thread until its first await. Here there is none before lock() blocks in the
// futex.
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
    const deadline = performance.now() + timeoutMs;
    let state = this.segment.exchange(this.#cell, CONTENDED);
    while (state !== UNLOCKED) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      this.segment.wait(this.#cell, CONTENDED, remaining);
      state = this.segment.exchange(this.#cell, CONTENDED);
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
    return this.lock(timeoutMs); // blocks the event loop; should loop on await this.segment.waitAsync(...)
  }

  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED || state === CONTENDED) return null;
    return `Mutex segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0, 1 or 2`;
  }
}
