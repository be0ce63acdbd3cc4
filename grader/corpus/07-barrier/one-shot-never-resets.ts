// BUG: no reset at all: a one-shot barrier (a latch) used again, so after the first generation every wait returns at once
// MUST FAIL: is reusable for many rounds: a fast party never laps a slow one (2 parties, 3000 rounds)
// DESIGN: a one-shot latch: one count that only goes up, no reset and no generation
//
// The first round is perfect: waiters sleep until COUNT reaches parties, and
// the last one wakes them. Nothing ever brings COUNT back down, so from then
// on COUNT >= parties already: every wait passes straight through, and a
// fast party runs rounds ahead of the slow one.
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

  /** Counts this arrival: 'last', 'open' (already full), or 'wait'. */
  #arrive(): 'last' | 'open' | 'wait' {
    if (this.broken) throw new ShimError('EBROKEN', 'Barrier: broken');
    const arrived = this.segment.add(this.#base + COUNT, 1) + 1;
    if (arrived === this.parties) {
      this.segment.notify(this.#base + COUNT); // wake everyone; COUNT stays full
      return 'last';
    }
    return arrived > this.parties ? 'open' : 'wait';
  }

  #break(): false {
    this.segment.store(this.#base + BROKEN, 1);
    this.segment.add(this.#base + COUNT, 1 << 20); // change COUNT so sleepers wake and re-check
    this.segment.notify(this.#base + COUNT);
    return false;
  }

  #leave(): false {
    if (this.broken) throw new ShimError('EBROKEN', 'Barrier: broken');
    return false;
  }

  wait(timeoutMs: number = Infinity): boolean {
    const arrival = this.#arrive();
    if (arrival !== 'wait') return arrival === 'last';
    const deadline = performance.now() + timeoutMs;
    for (
      let count = this.segment.load(this.#base + COUNT);
      count < this.parties;
      count = this.segment.load(this.#base + COUNT)
    ) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return this.#break();
      this.segment.wait(this.#base + COUNT, count, remaining);
    }
    return this.#leave();
  }

  async waitAsync(timeoutMs: number = Infinity): Promise<boolean> {
    const arrival = this.#arrive();
    if (arrival !== 'wait') return arrival === 'last';
    const deadline = performance.now() + timeoutMs;
    for (
      let count = this.segment.load(this.#base + COUNT);
      count < this.parties;
      count = this.segment.load(this.#base + COUNT)
    ) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return this.#break();
      await this.segment.waitAsync(this.#base + COUNT, count, remaining);
    }
    return this.#leave();
  }

  checkInvariants(): string | null {
    return null;
  }
}
