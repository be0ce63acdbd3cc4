// What a ring-throughput measurement's actors run (ring-throughput.ts): one producer
// process and one consumer process per ring, streaming int32 values 0, 1, ... in
// rounds that compareThroughput (throughput.ts) starts and times. The ring is any
// class with put/take and a (segment, byteOffset) constructor: a learner's SpscRing,
// or the yardstick AtomicsRing, imported by URL (actors cannot see vite aliases).
//
// Round protocol, on throughput.ts's RoundCells: both sides add 1 to `ready`, then
// sleep on `go` until their round starts (or FINISHED comes); the producer checks
// `stop` every 256 puts and then puts -1, which ends the consumer's round early; the
// consumer stores its running total in `taken` and the round in `done`. An actor that
// fails stores FAILED in `done`, so the measurement stops waiting for its pair at once.
import { Segment } from '@ipc-course/shim';
import { FAILED, FINISHED, type RoundCells } from './throughput.ts';

export interface RingStreamArgs {
  /** URL of the module, and the name of the class it exports. */
  implementation: string;
  exportName: string;
  segment: string;
  ringOffset: number;
  cells: RoundCells;
  /** The most rounds the measurement may start. */
  rounds: number;
  count: number;
}

interface RingLike {
  put(value: number): boolean;
  take(): number | undefined;
}
type RingClass = new (segment: Segment, byteOffset: number) => RingLike;

const CUT_SHORT = -1;

/** Sleeps until round `round` starts (true) or there are no more (false). */
function awaitRound(segment: Segment, go: number, round: number): boolean {
  for (let seen = segment.load(go); seen < round; seen = segment.load(go)) segment.wait(go, seen);
  return segment.load(go) !== FINISHED;
}

async function inRounds(
  args: RingStreamArgs,
  round: (ring: RingLike, segment: Segment, number: number) => void,
) {
  const segment = Segment.open(args.segment);
  try {
    const module = (await import(args.implementation)) as Record<string, RingClass>;
    const ring = new module[args.exportName](segment, args.ringOffset);
    segment.add(args.cells.ready, 1);
    segment.notify(args.cells.ready); // partner: compareThroughput's wait for both sides
    let rounds = 0;
    while (rounds < args.rounds && awaitRound(segment, args.cells.go, rounds + 1))
      round(ring, segment, ++rounds);
    return { rounds };
  } catch (error) {
    segment.store(args.cells.done, FAILED);
    segment.notify(args.cells.done);
    throw error;
  }
}

export async function ringProducer(args: RingStreamArgs) {
  return inRounds(args, (ring, segment, round) => {
    let i = 0;
    for (; i < args.count; i++) {
      if ((i & 255) === 0 && segment.load(args.cells.stop) >= round) break;
      if (!ring.put(i)) throw new Error(`round ${round}: put(${i}) returned false`);
    }
    if (i < args.count) ring.put(CUT_SHORT);
  });
}

export async function ringConsumer(args: RingStreamArgs) {
  let total = 0;
  return inRounds(args, (ring, segment, round) => {
    for (let i = 0; i < args.count; i++) {
      const value = ring.take();
      if (value === CUT_SHORT) break;
      if (value !== i)
        throw new Error(
          `round ${round}: take number ${i} returned ${String(value)}, expected ${i} (one producer, FIFO)`,
        );
      if ((++total & 255) === 0) segment.store(args.cells.taken, total);
    }
    segment.store(args.cells.taken, total);
    segment.store(args.cells.done, round);
    segment.notify(args.cells.done); // partner: compareThroughput's waitAsync on `done`
  });
}
