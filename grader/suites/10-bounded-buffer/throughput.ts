// What the throughput test's actors run: one producer process and one consumer
// process per implementation (the learner's, the reference's), streaming int32
// values 0, 1, ... through a BoundedBuffer in rounds the test starts and times.
//
// The cells of each pair are harness/throughput.ts's RoundCells: both sides sleep
// on `go` until their round starts (after adding 1 to `ready`); the producer checks `stop` every 256 puts
// and then puts -1, which ends the consumer's round early; the consumer stores
// its running total in `taken` and the round in `done` when it is over.
import { Segment } from '@ipc-course/shim';
import type { RoundCells } from '../../harness/throughput.ts';

export interface ThroughputArgs {
  implementation: string;
  segment: string;
  bufferOffset: number;
  cells: RoundCells;
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

async function attach({ implementation, segment, bufferOffset, cells }: ThroughputArgs) {
  const { BoundedBuffer } = (await import(implementation)) as { BoundedBuffer: BufferClass };
  const opened = Segment.open(segment);
  const buffer = new BoundedBuffer(opened, bufferOffset);
  opened.add(cells.ready, 1);
  opened.notify(cells.ready);
  return { buffer, segment: opened };
}

/** Sleeps until the test starts `round`. */
function awaitRound(segment: Segment, go: number, round: number): void {
  for (let seen = segment.load(go); seen < round; seen = segment.load(go)) segment.wait(go, seen);
}

export async function throughputProducer(args: ThroughputArgs) {
  const { buffer, segment } = await attach(args);
  const { go, stop } = args.cells;
  for (let round = 1; round <= args.rounds; round++) {
    awaitRound(segment, go, round);
    let i = 0;
    for (; i < args.count; i++) {
      if ((i & 255) === 0 && segment.load(stop) >= round) break;
      if (!buffer.put(i, TIMEOUT_MS)) throw new Error(`round ${round}: put(${i}, ${TIMEOUT_MS}) gave up while a consumer was taking`);
    }
    if (i < args.count && !buffer.put(CUT_SHORT, TIMEOUT_MS)) throw new Error(`round ${round}: put(-1, ${TIMEOUT_MS}) gave up`);
  }
  return { rounds: args.rounds };
}

export async function throughputConsumer(args: ThroughputArgs) {
  const { buffer, segment } = await attach(args);
  const { go, taken, done } = args.cells;
  let total = 0;
  for (let round = 1; round <= args.rounds; round++) {
    awaitRound(segment, go, round);
    for (let i = 0; i < args.count; i++) {
      const value = buffer.take(TIMEOUT_MS);
      if (value === CUT_SHORT) break;
      if (value !== i) throw new Error(`round ${round}: take number ${i} returned ${String(value)}, expected ${i} (one producer, FIFO)`);
      if ((++total & 255) === 0) segment.store(taken, total);
    }
    segment.store(taken, total);
    segment.store(done, round);
    segment.notify(done); // partner: the test's waitAsync on `done`
  }
  return { taken: total };
}
