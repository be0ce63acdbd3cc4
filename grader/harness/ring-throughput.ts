// A ring's throughput as a fraction of the yardstick's (native/atomics-ring.ts: the
// ring of 09 on raw Atomics, which ships with the course), measured in the same run:
// each ring streams int32 values from a producer process to a consumer process
// (ring-stream.ts), the two rings by turns, round after round, so that load on the
// machine hits both alike. The fraction scored is the wall-clock ratio capped by
// the ratio of user CPU time per value, read by this side from /proc/<pid>/stat of
// the four processes (ring-speed-figure.ts says how, and why).
//
// What counts is measured or checked here, never taken on a submission's word: the
// clock is this process's; a round's rate is the values the consumer took over the
// time from this side's start to its `done`; the count and the checksum of the values
// taken are checked against the producer's key, which this side chose (ring-stream.ts).
// A round not cut short must have all its values. The yardstick's pair runs trusted
// (course code); the ring's pair runs as the caller says (untrusted for a submission).
//
// Used by 09-spsc-ring's hidden suite (speed points, throughput-score.ts) and by
// grader/test/ring-throughput.test.ts; the visible tests print the same ratio
// (exercises/09-spsc-ring/speed.ts), so a learner measures what the grader measures.
import { randomBytes } from 'node:crypto';
import { AtomicsRing, Segment } from '@ipc-course/shim';
import { describeFailures, runActors, type ActorSpec } from './actors.ts';
import { streamChecksum, streamValues, type StreamCells } from './ring-stream.ts';
import { uniqueSegmentName } from './segment-names.ts';
import { actorsOf } from './suite-kit.ts';
import { readStat } from './proc-stat.ts';
import { median, percent, speedFigure } from './ring-speed-figure.ts';
import { FAILED } from './throughput.ts';
import { FINISHED } from './throughput.ts';

export interface RingUnderTest {
  /** URL of the module that exports the ring class, and the class's name. */
  url: string;
  exportName: string;
  /** Lays the ring out (for a submission: in its untrusted object host). */
  init(segment: Segment, byteOffset: number, capacity: number): unknown;
  byteLength(capacity: number): number;
  /** Run the ring's pair as plain processes (the grader's own code only, never a submission's). */
  trusted?: boolean;
}

export interface RingMeasure {
  capacity: number;
  /** Values per round. */
  count: number;
  warmups: number;
  rounds: number;
  /** A ring round this many times the yardstick's median is cut short (it is slow enough). */
  cutFactor: number;
  timeoutMs: number;
}

// A large ring, so that on a busy machine a round is mostly values, not waits for
// a core: a producer that fills the ring sleeps until the scheduler runs the
// consumer, and a ring of 1024 paid that wait every 1024 values. Load then
// hid a slow ring's cost (on 2 CPUs with 4 busy loops, a ring that checks its
// invariants on every call measured 32-36% of the yardstick's wall-clock rate at capacity 1024,
// 17-22% at 65536; idle, 13-21% and 11-12%).
export const RING_MEASURE: RingMeasure = {
  capacity: 65_536,
  count: 200_000,
  warmups: 2,
  rounds: 15,
  cutFactor: 40,
  timeoutMs: 150_000,
};

export interface RingThroughput {
  /** Values per second of each measured round. */
  yardstick: number[];
  ring: number[];
  /** User-mode CPU nanoseconds per value, producer and consumer together, over the measured rounds; NaN where /proc could not tell. */
  cpuNsPerValue: { yardstick: number; ring: number };
  /** Measured ring rounds cut short. */
  cut: number;
  /** The ring's values/s over the yardstick's: the better of the median round-by-round ratio and the best rounds' ratio. */
  wallFraction: number;
  /** The yardstick's user CPU time per value over the ring's; NaN if unknown. */
  cpuFraction: number;
  /** What is scored: wallFraction, capped by cpuFraction when it is known. */
  fraction: number;
  /** One line with every figure, for a test's output. */
  summary: string;
}

const yardstickUrl = new URL('../../native/atomics-ring.ts', import.meta.url).href;
const streamActor = actorsOf(new URL('./ring-stream.ts', import.meta.url));
// Rings larger than this are refused before a segment is made for them.
const MAX_RING_BYTES = 64 << 20;

function rate(perSecond: number): string {
  return perSecond >= 1e6
    ? `${(perSecond / 1e6).toFixed(2)} M/s`
    : `${(perSecond / 1e3).toFixed(0)} k/s`;
}

interface Side {
  name: string;
  offset: number;
  key: string;
  cells: StreamCells;
}

/**
 * Measures `ring` against the yardstick. Throws, naming the round, if a ring lost,
 * repeated or reordered a value, or if an actor failed (with each actor's failure).
 */
export async function measureRing(
  ring: RingUnderTest,
  measure: RingMeasure = RING_MEASURE,
): Promise<RingThroughput> {
  const ringBytes = ring.byteLength(measure.capacity);
  if (!Number.isInteger(ringBytes) || ringBytes < 4 || ringBytes > MAX_RING_BYTES)
    throw new Error(
      `${ring.exportName}.byteLength(${measure.capacity}) returned ${String(ringBytes)}`,
    );
  // The round cells on the first page, then each ring on pages of its own.
  const pages = (bytes: number) => Math.ceil(bytes / 4096) * 4096;
  const yardstickOffset = 4096;
  const ringOffset = yardstickOffset + pages(AtomicsRing.byteLength(measure.capacity));
  const segment = Segment.create(
    uniqueSegmentName('ring-throughput'),
    ringOffset + pages(ringBytes),
  );
  const cells = (first: number): StreamCells => ({
    ready: first,
    go: first + 1,
    stop: first + 2,
    taken: first + 3,
    check: first + 4,
    done: first + 5,
    producerPid: first + 6,
    consumerPid: first + 7,
  });
  const key = () => randomBytes(16).toString('hex');
  const yardstick: Side = {
    name: 'yardstick',
    offset: yardstickOffset,
    key: key(),
    cells: cells(8),
  };
  const mine: Side = { name: ring.exportName, offset: ringOffset, key: key(), cells: cells(16) };
  const rounds = measure.warmups + measure.rounds;
  let ended = false;
  let running: Promise<string> | undefined;
  try {
    AtomicsRing.init(segment, yardstickOffset, measure.capacity);
    ring.init(segment, ringOffset, measure.capacity);
    const specs = ([yardstick, mine] as const).flatMap((side) =>
      (['ringProducer', 'ringConsumer'] as const).map(
        (role): ActorSpec => ({
          ...streamActor(`${side.name} ${role}`, 'process', role, {
            implementation: side === yardstick ? yardstickUrl : ring.url,
            exportName: side === yardstick ? 'AtomicsRing' : ring.exportName,
            segment: segment.name,
            ringOffset: side.offset,
            cells: side.cells,
            rounds,
            count: measure.count,
            ...(role === 'ringProducer' ? { key: side.key } : {}),
          }),
          trusted: side === yardstick || ring.trusted === true,
        }),
      ),
    );
    running = runActors(specs, { timeoutMs: measure.timeoutMs }).then(describeFailures);
    void running.then(() => (ended = true));
    const failed = async (what: string): Promise<never> => {
      for (const side of [yardstick, mine]) segment.store(side.cells.go, FINISHED);
      for (const side of [yardstick, mine]) segment.notify(side.cells.go);
      throw new Error(`${what}${ended ? `: ${(await running) || 'an actor ended early'}` : ''}`);
    };

    for (const side of [yardstick, mine])
      for (let ready = segment.load(side.cells.ready); ready < 2; ) {
        if (segment.load(side.cells.done) === FAILED || ended)
          await failed('an actor failed to start');
        await segment.waitAsync(side.cells.ready, ready, 20);
        ready = segment.load(side.cells.ready);
      }

    // User-mode CPU ticks of a side's two processes so far (NaN once a pid is wrong
    // or gone): ring-speed-figure.ts says why user time only.
    const pidsOf = (side: Side) =>
      [side.cells.producerPid, side.cells.consumerPid].map((cell) => segment.load(cell));
    const pids = new Map(([yardstick, mine] as const).map((side) => [side, pidsOf(side)]));
    const userTicks = (side: Side) =>
      (pids.get(side) ?? []).reduce(
        (sum, pid) => sum + (pid > 0 ? (readStat(pid)?.utime ?? Number.NaN) : Number.NaN),
        0,
      );

    /** One round of one side: values per second, from what this side measured and checked. */
    const timeRound = async (side: Side, round: number, cutAfterMs: number) => {
      const start = performance.now();
      segment.store(side.cells.go, round);
      segment.notify(side.cells.go); // partner: the actors' wait in awaitRound
      let cut = false;
      for (let done = segment.load(side.cells.done); done < round; ) {
        if (done === FAILED || ended) await failed(`round ${round} of the ${side.name}`);
        if (!cut && performance.now() - start > cutAfterMs) {
          cut = true;
          segment.store(side.cells.stop, round);
        }
        await segment.waitAsync(side.cells.done, done, 20); // partner: the consumer's notify
        done = segment.load(side.cells.done);
      }
      const elapsedMs = performance.now() - start;
      const taken = segment.load(side.cells.taken);
      const check = segment.load(side.cells.check);
      const complete = taken === measure.count;
      if (!(complete || (cut && taken >= 0 && taken < measure.count)))
        await failed(
          `round ${round} of the ${side.name}: the consumer reported ${taken} values of ${measure.count}`,
        );
      if (check !== streamChecksum(streamValues(side.key, round, taken), taken))
        await failed(
          `round ${round} of the ${side.name}: the values taken are not the values put, in order (one lost, repeated or reordered)`,
        );
      return { perSecond: (taken / elapsedMs) * 1000, taken, elapsedMs, cut };
    };

    const perSecond = { yardstick: [] as number[], ring: [] as number[] };
    // Ticks are 10 ms: too coarse for a round, so CPU time is summed over the measured
    // rounds. Between rounds both sides' actors sleep on `go`.
    const values = { yardstick: 0, ring: 0 };
    let ticksBefore = { yardstick: Number.NaN, ring: Number.NaN };
    const yardstickMs: number[] = [];
    let cut = 0;
    for (let round = 1; round <= rounds; round++) {
      if (round === measure.warmups + 1)
        ticksBefore = { yardstick: userTicks(yardstick), ring: userTicks(mine) };
      const ours = await timeRound(yardstick, round, Infinity);
      yardstickMs.push(ours.elapsedMs);
      const theirs = await timeRound(mine, round, measure.cutFactor * median(yardstickMs));
      if (round <= measure.warmups) continue;
      perSecond.yardstick.push(ours.perSecond);
      perSecond.ring.push(theirs.perSecond);
      values.yardstick += ours.taken;
      values.ring += theirs.taken;
      if (theirs.cut) cut++;
    }
    // Read before FINISHED: the actors stay until then (ring-stream.ts).
    const ticks = {
      yardstick: userTicks(yardstick) - ticksBefore.yardstick,
      ring: userTicks(mine) - ticksBefore.ring,
    };
    for (const side of [yardstick, mine]) segment.store(side.cells.go, FINISHED);
    for (const side of [yardstick, mine]) segment.notify(side.cells.go);
    const failures = await running;
    if (failures) throw new Error(`the stream failed: ${failures}`);

    const figure = speedFigure({ perSecond, ticks, values });
    const bests = [Math.max(...perSecond.ring), Math.max(...perSecond.yardstick)];
    const summary =
      `${percent(figure.fraction)} of the yardstick ring's throughput` +
      ` (round by round: ${percent(figure.byRound)} in the median round, medians ${rate(median(perSecond.ring))} against ${rate(median(perSecond.yardstick))};` +
      ` best rounds: ${rate(bests[0])} against ${rate(bests[1])}, ${percent(figure.bestRatio)};` +
      ` ${figure.cpuLine};` +
      ` ${measure.rounds} rounds of ${measure.count} values each way, by turns, process to process, capacity ${measure.capacity}` +
      `${cut ? `; ${cut} rounds stopped early at ${measure.cutFactor}x the yardstick's time` : ''})`;
    const { wallFraction, cpuNsPerValue, cpuFraction, fraction } = figure;
    return { ...perSecond, cpuNsPerValue, cut, wallFraction, cpuFraction, fraction, summary };
  } finally {
    for (const side of [yardstick, mine]) segment.store(side.cells.go, FINISHED);
    for (const side of [yardstick, mine]) segment.notify(side.cells.go);
    await running?.catch(() => undefined);
    segment.close();
    Segment.unlink(segment.name);
  }
}
