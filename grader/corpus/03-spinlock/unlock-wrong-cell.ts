// BUG: unlock exchanges 0 into cell byteOffset (a byte offset used as a cell index), not the lock's cell: the lock stays held and another cell is overwritten
// MUST FAIL: never lets two holders in under controlled schedules (2 workers + 1 process)
//
// Cells are numbered byteOffset / 4; segment.cellIndex(byteOffset) does the
// conversion, and the constructor kept its result in #cell. With the lock at
// byte 0 the mistake is invisible; at byte 64 unlock writes cell 64 (byte 256).
import { Segment, ShimError, yieldThread } from '@ipc-course/shim';

const UNLOCKED = 0;
const LOCKED = 1;
const FIRST_BACKOFF = 4;
const LAST_BACKOFF = 1024;

export class SpinLock {
  static readonly byteLength: number = 4;

  static init(segment: Segment, byteOffset: number): SpinLock {
    const lock = new SpinLock(segment, byteOffset);
    segment.store(lock.#cell, UNLOCKED);
    return lock;
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

  lock(): void {
    const cell = this.#cell;
    let backoff = FIRST_BACKOFF;
    for (;;) {
      if (this.segment.load(cell) === UNLOCKED && this.segment.exchange(cell, LOCKED) === UNLOCKED)
        return;
      if (backoff <= LAST_BACKOFF) {
        for (let i = 0; i < backoff; i++) this.segment.load(cell);
        backoff *= 2;
      } else {
        yieldThread();
      }
    }
  }

  unlock(): void {
    const previous = this.segment.exchange(this.byteOffset, UNLOCKED); // should be this.#cell
    if (previous === UNLOCKED)
      throw new ShimError(
        'EPERM',
        `SpinLock.unlock: not locked (segment "${this.segment.name}", byte ${this.byteOffset})`,
      );
  }

  checkInvariants(): string | null {
    const state = this.segment.load(this.#cell);
    if (state === UNLOCKED || state === LOCKED) return null;
    return `SpinLock segment="${this.segment.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state}: state must be 0 or 1`;
  }
}
