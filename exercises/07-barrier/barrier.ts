// Barrier: a reusable meeting point for `parties` threads or processes, in three
// cells of a shared segment. The last arrival of a generation releases everyone.
//
// Cells:
//   COUNT    parties arrived in the current generation (0 .. parties - 1 at rest)
//   PARTIES  how many must arrive; written once by init()
//   WORD     the futex word: generation * 2, plus BROKEN (bit 0) once broken
//
// Invariants:
//   parties >= 1; at rest, 0 <= count < parties, or the barrier is broken.
//   A waiter leaves only once WORD differs from the value it read on arrival:
//   its generation completed (+2, by the last arrival) or broke (BROKEN set, by
//   a timed-out party). Each is one compareExchange on WORD: one of them wins.
//   Once BROKEN is set it stays set: every later wait throws EBROKEN.
//
// TODO: init's check, broken, wait, waitAsync, checkInvariants. Task: README.md;
// stuck? hints.md. Run: npm test -- exercises/07-barrier
import { Segment, ShimError } from '@ipc-course/shim';

const COUNT = 0;
const PARTIES = 1;
const WORD = 2;
const BROKEN = 1; // bit 0 of WORD
const NEXT_GENERATION = 2; // the generation lives in bits 1..31 of WORD

export class Barrier {
  /** Bytes a Barrier needs in a segment: three cells. */
  static readonly byteLength: number = 12;

  /** Lays out a barrier for `parties` at byteOffset; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number, parties: number): Barrier {
    // TODO: unless parties is an integer >= 1, throw new ShimError('EINVAL', ...) naming the value.
    const barrier = new Barrier(segment, byteOffset);
    segment.store(barrier.#base + COUNT, 0);
    segment.store(barrier.#base + PARTIES, parties);
    segment.store(barrier.#base + WORD, 0);
    return barrier;
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly #base: number; // cell index of COUNT; PARTIES and WORD follow it

  /** Attaches to a barrier that init() laid out; throws EALIGN or ERANGE for a bad offset. */
  constructor(segment: Segment, byteOffset: number) {
    this.#base = segment.cellIndex(byteOffset, 3);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  /** How many parties each generation waits for. */
  get parties(): number {
    return this.segment.load(this.#base + PARTIES);
  }

  /** True once a timed-out wait broke the barrier; it stays broken. */
  get broken(): boolean {
    throw new Error('TODO: Barrier.broken'); // TODO: is BROKEN set in WORD?
  }

  /** true for the last party of a generation, false for the others, false for the one that timed out. */
  wait(timeoutMs: number = Infinity): boolean {
    // TODO: read WORD (EBROKEN if broken), THEN add yourself to COUNT. Last: reset COUNT,
    // compareExchange WORD to WORD + NEXT_GENERATION, notify all, return true. Others:
    // `while` WORD is unchanged, sleep in this.segment.wait(WORD cell, word, remaining).
    throw new Error('TODO: Barrier.wait');
  }

  /** wait() as a Promise: must never block the event loop. */
  async waitAsync(timeoutMs: number = Infinity): Promise<boolean> {
    // TODO: the same steps as wait(), with `await this.segment.waitAsync(...)`.
    throw new Error('TODO: Barrier.waitAsync');
  }

  /** null if every cell is consistent, else one line describing every field. */
  checkInvariants(): string | null {
    // TODO: load the cells; describe them in one line if parties < 1 or count is out of range.
    throw new Error('TODO: Barrier.checkInvariants');
  }
}
