// BUG: the last arrival moves the generation on before it resets COUNT, so a released party that arrives again at once has its arrival wiped out by the reset
// MUST FAIL: lets no party leave early and picks one serial party per round, under controlled schedules
//
// Once WORD moves, the released parties may leave and arrive for the next
// generation; the reset that comes after erases those arrivals. That
// generation then waits for parties that already arrived: a fast party has
// lapped the slow reset, and everyone hangs.
import { Segment, ShimError } from '@ipc-course/shim';

const COUNT = 0;
const PARTIES = 1;
const WORD = 2;
const BROKEN = 1; // bit 0 of WORD
const NEXT_GENERATION = 2; // the generation lives in bits 1..31 of WORD

function checkTimeout(timeoutMs: unknown, method: string): void {
  if (typeof timeoutMs === 'number' && timeoutMs >= 0) return; // NaN fails the comparison
  throw new ShimError(
    'EINVAL',
    `Barrier.${method}: timeoutMs must be a number >= 0 (or Infinity), got ${String(timeoutMs)}`,
  );
}

export class Barrier {
  /** Bytes a Barrier needs in a segment: three cells. */
  static readonly byteLength: number = 12;

  /** Lays out a barrier for `parties` at byteOffset; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number, parties: number): Barrier {
    if (!Number.isInteger(parties) || parties < 1 || parties > 0x7fffffff) {
      throw new ShimError(
        'EINVAL',
        `Barrier.init: parties must be an integer >= 1, got ${String(parties)}`,
      );
    }
    const barrier = new Barrier(segment, byteOffset);
    segment.store(barrier.#base + COUNT, 0);
    segment.store(barrier.#base + PARTIES, parties);
    segment.store(barrier.#word, 0);
    return barrier;
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  /** Cell index of COUNT; PARTIES and WORD follow it. */
  readonly #base: number;
  readonly #word: number; // cell index of WORD, the futex word

  /** Attaches to a barrier that init() laid out; throws EALIGN or ERANGE for a bad offset. */
  constructor(segment: Segment, byteOffset: number) {
    this.#base = segment.cellIndex(byteOffset, 3);
    this.#word = this.#base + WORD;
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  /** How many parties each generation waits for. */
  get parties(): number {
    return this.segment.load(this.#base + PARTIES);
  }

  /** True once a timed-out wait broke the barrier; it stays broken. */
  get broken(): boolean {
    return (this.segment.load(this.#word) & BROKEN) !== 0;
  }

  #brokenError(method: string): ShimError {
    return new ShimError(
      'EBROKEN',
      `Barrier.${method}: the barrier at byte ${this.byteOffset} of segment "${this.segment.name}" is broken (a party's wait timed out); init() a new one`,
    );
  }

  /**
   * Arrives; returns once all parties have: true for one party per generation
   * (the last), false for the others. A party whose timeoutMs passes first
   * breaks the barrier and returns false (check `broken`). Throws EBROKEN.
   */
  wait(timeoutMs: number = Infinity): boolean {
    checkTimeout(timeoutMs, 'wait');
    const word = this.#arrive('wait');
    if (word === null) return true;
    const deadline = performance.now() + timeoutMs;
    // Re-check after every wakeup (notify, not-equal, timeout): `for`/`while`, never `if`.
    for (let now = word; ; now = this.segment.load(this.#word)) {
      if (now !== word) return this.#leave(word, now, 'wait');
      const remaining = deadline - performance.now();
      if (remaining <= 0) return this.#breakOrLeave(word, 'wait');
      // Sleep only while WORD still holds our generation: if the last arrival
      // moved it since we read it, wait returns 'not-equal' at once (no lost wakeup).
      this.segment.wait(this.#word, word, remaining);
    }
  }

  /** wait() as a Promise: sleeps with waitAsync, so timers and I/O keep running. */
  async waitAsync(timeoutMs: number = Infinity): Promise<boolean> {
    checkTimeout(timeoutMs, 'waitAsync');
    const word = this.#arrive('waitAsync');
    if (word === null) return true;
    const deadline = performance.now() + timeoutMs; // the same loop as wait(), line for line
    for (let now = word; ; now = this.segment.load(this.#word)) {
      if (now !== word) return this.#leave(word, now, 'waitAsync');
      const remaining = deadline - performance.now();
      if (remaining <= 0) return this.#breakOrLeave(word, 'waitAsync');
      await this.segment.waitAsync(this.#word, word, remaining);
    }
  }

  /** Counts this arrival. Returns null for the last party (it released the others), else the WORD to wait on. */
  #arrive(method: string): number | null {
    // Read the generation BEFORE arriving: once we have arrived, the last party
    // may move WORD on at any moment, and a later read would wait for the next one.
    const word = this.segment.load(this.#word);
    if (word & BROKEN) throw this.#brokenError(method);
    const arrived = this.segment.add(this.#base + COUNT, 1) + 1;
    if (arrived < this.parties) return word;
    // Last arrival. Reset COUNT before moving WORD: nobody can leave, so nobody
    // can arrive for the next generation, until WORD moves. The other order lets a
    // fast party arrive for the next generation and have its arrival wiped out.
    if (this.segment.compareExchange(this.#word, word, (word + NEXT_GENERATION) | 0) !== word)
      throw this.#brokenError(method);
    this.segment.notify(this.#word); // wake ALL waiters: partner of their wait on `word`
    this.segment.store(this.#base + COUNT, 0); // too late: released parties may have arrived again
    return null;
  }

  /** Our time ran out while WORD still held `word`: break this generation, unless it just ended. */
  #breakOrLeave(word: number, method: string): boolean {
    const now = this.segment.compareExchange(this.#word, word, word | BROKEN);
    if (now !== word) return this.#leave(word, now, method); // completed or broken just before us
    this.segment.notify(this.#word); // the waiters must wake to see BROKEN: partner of their wait
    return false; // we broke it: the caller tells this false apart by `broken`
  }

  /** WORD moved from `word` to `now`: our generation completed (false) or broke (EBROKEN). */
  #leave(word: number, now: number, method: string): false {
    if (now === (word | BROKEN)) throw this.#brokenError(method);
    return false;
  }

  /** null if every cell is consistent, else one line describing every field. */
  checkInvariants(): string | null {
    const count = this.segment.load(this.#base + COUNT);
    const parties = this.segment.load(this.#base + PARTIES);
    const word = this.segment.load(this.#word);
    const broken = (word & BROKEN) !== 0;
    const problem =
      parties < 1
        ? 'parties must be >= 1'
        : count < 0 || (!broken && count >= parties)
          ? 'count must be in [0, parties) at rest'
          : null;
    if (problem === null) return null;
    return `Barrier segment="${this.segment.name}" byteOffset=${this.byteOffset} count=${count} parties=${parties} generation=${word >>> 1} broken=${broken}: ${problem}`;
  }
}
