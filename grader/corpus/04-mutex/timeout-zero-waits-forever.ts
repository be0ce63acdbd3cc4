// BUG: treats a timeout of 0 as "no timeout" (as Java's Object.wait(0) does) and builds tryLock on lock(0), so tryLock blocks on a held lock
// MUST FAIL: tryLock never blocks and never takes a held lock
//
// The spec says 0 means "try once". Here 0 means "wait forever", and tryLock()
// is lock(0): on a held mutex it sleeps in the futex until the holder unlocks,
// then returns true.
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
    return this.lock(0);
  }

  lock(timeoutMs: number = Infinity): boolean {
    if (this.segment.compareExchange(this.#cell, UNLOCKED, LOCKED) === UNLOCKED) return true;
    const deadline = timeoutMs === 0 ? Infinity : performance.now() + timeoutMs; // 0 = "forever"
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
    if (this.segment.compareExchange(this.#cell, UNLOCKED, LOCKED) === UNLOCKED) return true;
    const deadline = timeoutMs === 0 ? Infinity : performance.now() + timeoutMs;
    let state = this.segment.exchange(this.#cell, CONTENDED);
    while (state !== UNLOCKED) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      await this.segment.waitAsync(this.#cell, CONTENDED, remaining);
      state = this.segment.exchange(this.#cell, CONTENDED);
    }
    return true;
  }

  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED || state === CONTENDED) return null;
    return `Mutex segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0, 1 or 2`;
  }
}
