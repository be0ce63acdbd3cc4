// BUG: no generation: waiters sleep until COUNT returns to 0, so a fast party that arrives again right after the reset hides it, and the slow one sleeps on
// MUST FAIL: lets no party leave early and picks one serial party per round, under controlled schedules
// DESIGN: a reusable barrier without a generation: the last party resets COUNT to 0 and waiters sleep until it is 0
//
// A one-shot barrier made reusable by resetting its count. The last party
// stores 0 and notifies; before a waiter has woken up to look, the last party
// is already back and has counted itself into the next round (COUNT is 1
// again). The waiter sees 1, not 0, and sleeps again. Now both wait, each for
// the other: the fast party has lapped the slow one.
import { Segment, ShimError } from '@ipc-course/shim';

const COUNT = 0;
const PARTIES = 1;
const BROKEN = 2;

export class Barrier {
  static readonly byteLength: number = 12;

  static init(segment: Segment, byteOffset: number, parties: number): Barrier {
    if (!Number.isInteger(parties) || parties < 1)
      throw new ShimError(
        'EINVAL',
        `Barrier.init: parties must be an integer >= 1, got ${parties}`,
      );
    const barrier = new Barrier(segment, byteOffset);
    segment.store(barrier.#base + COUNT, 0);
    segment.store(barrier.#base + PARTIES, parties);
    segment.store(barrier.#base + BROKEN, 0);
    return barrier;
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly #base: number;

  constructor(segment: Segment, byteOffset: number) {
    this.#base = segment.cellIndex(byteOffset, 3);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  get parties(): number {
    return this.segment.load(this.#base + PARTIES);
  }

  get broken(): boolean {
    return this.segment.load(this.#base + BROKEN) !== 0;
  }

  #checkBroken(): void {
    if (this.broken) throw new ShimError('EBROKEN', 'Barrier: broken');
  }

  /** Counts this arrival; true for the last one (it reset COUNT and woke the others). */
  #arrive(): boolean {
    this.#checkBroken();
    const arrived = this.segment.add(this.#base + COUNT, 1) + 1;
    if (arrived < this.parties) return false;
    this.segment.store(this.#base + COUNT, 0); // everyone is here: reset for the next round ...
    this.segment.notify(this.#base + COUNT); // ... and wake the waiters, who wait for 0
    return true;
  }

  #break(): false {
    this.segment.store(this.#base + BROKEN, 1);
    this.segment.sub(this.#base + COUNT, 1); // withdraw, and change COUNT so sleepers re-check
    this.segment.notify(this.#base + COUNT);
    return false;
  }

  wait(timeoutMs: number = Infinity): boolean {
    if (this.#arrive()) return true;
    const deadline = performance.now() + timeoutMs;
    for (
      let count = this.segment.load(this.#base + COUNT);
      count !== 0;
      count = this.segment.load(this.#base + COUNT)
    ) {
      this.#checkBroken();
      const remaining = deadline - performance.now();
      if (remaining <= 0) return this.#break();
      this.segment.wait(this.#base + COUNT, count, remaining);
    }
    this.#checkBroken();
    return false;
  }

  async waitAsync(timeoutMs: number = Infinity): Promise<boolean> {
    if (this.#arrive()) return true;
    const deadline = performance.now() + timeoutMs;
    for (
      let count = this.segment.load(this.#base + COUNT);
      count !== 0;
      count = this.segment.load(this.#base + COUNT)
    ) {
      this.#checkBroken();
      const remaining = deadline - performance.now();
      if (remaining <= 0) return this.#break();
      await this.segment.waitAsync(this.#base + COUNT, count, remaining);
    }
    this.#checkBroken();
    return false;
  }

  checkInvariants(): string | null {
    return null;
  }
}
