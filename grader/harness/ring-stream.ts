// What a ring-throughput measurement's actors run (ring-throughput.ts): one producer
// process and one consumer process per ring, streaming int32 values in rounds that
// the measurement starts and times. The ring is any class with put/take and a
// (segment, byteOffset) constructor: a learner's SpscRing, or the yardstick
// AtomicsRing, imported by URL (actors cannot see vite aliases).
//
// The values are not 0, 1, 2, ...: each round's come from a key only the producer
// is given (AES-128-CTR, streamValues below), so a consumer cannot report values it
// never received. The consumer reports how many it took and an order-sensitive
// checksum of them; the measuring side, which knows the key, checks both.
//
// Round protocol, on StreamCells: both sides add 1 to `ready`, then sleep on `go`
// until their round starts (or FINISHED comes); the producer checks `stop` every 256
// puts and then puts -1 (the values are >= 0), which ends the consumer's round early;
// the consumer stores its count of the round in `taken`, its checksum in `check`,
// then the round in `done`. An actor that fails stores FAILED in `done`, so the
// measurement stops waiting for its pair at once. Before adding to `ready`, each side
// stores its pid in producerPid or consumerPid: the measurement reads the CPU time of
// that process's main thread from /proc itself. A submission can make the cell lie,
// but the CPU figure can only lower the fraction (ring-throughput.ts): a lie that
// flatters it leaves the wall-clock figure in charge.
import { createCipheriv } from 'node:crypto';
import { Segment } from '@ipc-course/shim';
import { FAILED, FINISHED } from './throughput.ts';

export interface StreamCells {
  ready: number;
  go: number;
  stop: number;
  taken: number;
  check: number;
  done: number;
  producerPid: number;
  consumerPid: number;
}

export interface RingStreamArgs {
  /** URL of the module, and the name of the class it exports. */
  implementation: string;
  exportName: string;
  segment: string;
  ringOffset: number;
  cells: StreamCells;
  /** The most rounds the measurement may start. */
  rounds: number;
  count: number;
  /** The producer's only: 32 hex digits, the key its values come from. */
  key?: string;
}

interface RingLike {
  put(value: number): boolean;
  take(): number | undefined;
}
type RingClass = new (segment: Segment, byteOffset: number) => RingLike;

const CUT_SHORT = -1;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Round `round`'s `count` values, each in 0 .. 2^31 - 1: AES-128-CTR of zeros under `key`. */
export function streamValues(key: string, round: number, count: number): Int32Array {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(round, 0);
  const bytes = createCipheriv('aes-128-ctr', Buffer.from(key, 'hex'), iv).update(
    Buffer.alloc(count * 4),
  );
  const values = new Int32Array(bytes.buffer, bytes.byteOffset, count);
  for (let i = 0; i < count; i++) values[i] &= 0x7fffffff;
  return values;
}

/** The checksum a consumer reports for the first `n` of `values`, in order (FNV-1a on int32s). */
export function streamChecksum(values: Int32Array, n: number): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < n; i++) hash = Math.imul(hash ^ values[i], FNV_PRIME);
  return hash;
}

/** Sleeps until round `round` starts (true) or there are no more (false). */
function awaitRound(segment: Segment, go: number, round: number): boolean {
  for (let seen = segment.load(go); seen < round; seen = segment.load(go)) segment.wait(go, seen);
  return segment.load(go) !== FINISHED;
}

async function inRounds(
  args: RingStreamArgs,
  pidCell: number,
  round: (ring: RingLike, segment: Segment, number: number) => void,
) {
  const segment = Segment.open(args.segment);
  try {
    const module = (await import(args.implementation)) as Record<string, RingClass>;
    const ring = new module[args.exportName](segment, args.ringOffset);
    segment.store(pidCell, process.pid); // rounds run on this, the main thread
    segment.add(args.cells.ready, 1);
    segment.notify(args.cells.ready); // partner: the measurement's wait for both sides
    let rounds = 0;
    while (rounds < args.rounds && awaitRound(segment, args.cells.go, rounds + 1))
      round(ring, segment, ++rounds);
    // Stay until FINISHED: the measurement reads this process's CPU time after the last round.
    if (rounds === args.rounds) awaitRound(segment, args.cells.go, rounds + 1);
    return { rounds };
  } catch (error) {
    segment.store(args.cells.done, FAILED);
    segment.notify(args.cells.done);
    throw error;
  }
}

export async function ringProducer(args: RingStreamArgs) {
  if (!args.key) throw new Error('ringProducer: no key');
  // Every round's values before the first round: generating them is not what is timed.
  const key = args.key;
  const values = Array.from({ length: args.rounds }, (_, r) =>
    streamValues(key, r + 1, args.count),
  );
  return inRounds(args, args.cells.producerPid, (ring, segment, round) => {
    const mine = values[round - 1];
    let i = 0;
    for (; i < args.count; i++) {
      if ((i & 255) === 0 && segment.load(args.cells.stop) >= round) break;
      if (!ring.put(mine[i])) throw new Error(`round ${round}: put number ${i} returned false`);
    }
    if (i < args.count) ring.put(CUT_SHORT);
  });
}

export async function ringConsumer(args: RingStreamArgs) {
  return inRounds(args, args.cells.consumerPid, (ring, segment, round) => {
    let hash = FNV_OFFSET;
    let n = 0;
    while (n < args.count) {
      const value = ring.take();
      if (value === CUT_SHORT) break;
      hash = Math.imul(hash ^ (value as number), FNV_PRIME);
      if ((++n & 255) === 0) segment.store(args.cells.taken, n);
    }
    segment.store(args.cells.taken, n);
    segment.store(args.cells.check, hash);
    segment.store(args.cells.done, round);
    segment.notify(args.cells.done); // partner: the measurement's waitAsync on `done`
  });
}
