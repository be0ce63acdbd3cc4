// What the throughput test's actors run: one producer process and one consumer
// process per implementation (the learner's, the reference's), streaming int32
// values 0, 1, ... through a BoundedBuffer in rounds the test starts and times.
//
// The cells of each pair are harness/throughput.ts's RoundCells: both sides add
// 1 to `ready`, then sleep on `go` until their round starts (or the test stores
// FINISHED there); the producer checks `stop` every 256 puts and then puts -1,
// which ends the consumer's round early; the consumer stores its running total
// in `taken` and the round in `done` when it is over. An actor that fails
// stores FAILED in `done`, so the test stops waiting for its pair at once.
import { Segment } from '@ipc-course/shim';
import { FAILED, FINISHED, type RoundCells } from '../../harness/throughput.ts';

export interface ThroughputArgs {
  implementation: string;
  segment: string;
  bufferOffset: number;
  cells: RoundCells;
  /** The most rounds the test may start. */
  rounds: number;
  count: number;
}

interface BufferLike {
  put(value: number, timeoutMs?: number): boolean;
  take(timeoutMs?: number): number | undefined;
}
type BufferClass = new (segment: Segment, byteOffset: number) => BufferLike;

const CUT_SHORT = -1;
const TIMEOUT_MS = 10_000;

/** Sleeps until the test starts `round` (true) or says there are no more (false). */
function awaitRound(segment: Segment, go: number, round: number): boolean {
  for (let seen = segment.load(go); seen < round; seen = segment.load(go)) segment.wait(go, seen);
  return segment.load(go) !== FINISHED;
}

/** Attaches, runs `rounds` with `round(buffer, segment, number)`, and reports a failure in `done`. */
async function inRounds(
  args: ThroughputArgs,
  round: (buffer: BufferLike, segment: Segment, number: number) => void,
) {
  const segment = Segment.open(args.segment);
  try {
    const { BoundedBuffer } = (await import(args.implementation)) as { BoundedBuffer: BufferClass };
    const buffer = new BoundedBuffer(segment, args.bufferOffset);
    segment.add(args.cells.ready, 1);
    segment.notify(args.cells.ready); // partner: compareThroughput's wait for both sides
    let rounds = 0;
    while (rounds < args.rounds && awaitRound(segment, args.cells.go, rounds + 1))
      round(buffer, segment, ++rounds);
    return { rounds };
  } catch (error) {
    segment.store(args.cells.done, FAILED);
    segment.notify(args.cells.done);
    throw error;
  }
}

export async function throughputProducer(args: ThroughputArgs) {
  return inRounds(args, (buffer, segment, round) => {
    let i = 0;
    for (; i < args.count; i++) {
      if ((i & 255) === 0 && segment.load(args.cells.stop) >= round) break;
      if (!buffer.put(i, TIMEOUT_MS))
        throw new Error(
          `round ${round}: put(${i}, ${TIMEOUT_MS}) gave up while a consumer was taking`,
        );
    }
    if (i < args.count && !buffer.put(CUT_SHORT, TIMEOUT_MS))
      throw new Error(`round ${round}: put(-1, ${TIMEOUT_MS}) gave up`);
  });
}

export async function throughputConsumer(args: ThroughputArgs) {
  let total = 0;
  return inRounds(args, (buffer, segment, round) => {
    for (let i = 0; i < args.count; i++) {
      const value = buffer.take(TIMEOUT_MS);
      if (value === CUT_SHORT) break;
      if (value !== i)
        throw new Error(
          `round ${round}: take number ${i} returned ${String(value)}, expected ${i} (one producer, FIFO)`,
        );
      if ((++total & 255) === 0) segment.store(args.cells.taken, total);
    }
    segment.store(args.cells.taken, total);
    segment.store(args.cells.done, round);
    segment.notify(args.cells.done); // partner: the test's waitAsync on `done`
  });
}
