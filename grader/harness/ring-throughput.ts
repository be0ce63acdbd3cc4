// A ring's throughput as a fraction of the yardstick's (native/atomics-ring.ts), measured
// in the same run: each ring streams int32 values from a producer process to a
// consumer process (ring-stream.ts), the two rings by turns, round after round
// (throughput.ts). The fraction is the kinder of two: medians' ratio and best
// rounds' ratio, since load only ever slows a round down.
//
// Used by exercises/09-spsc-ring's visible tests (which print it), and meant for
// its hidden suite's performance test (scored with throughput-score.ts). The
// yardstick ships with the course, so a learner measures what the grader measures.
import { AtomicsRing, Segment } from '@ipc-course/shim';
import { describeFailures, runActors } from './actors.ts';
import { actorsOf } from './suite-kit.ts';
import {
  compareThroughput,
  maxRounds,
  type RoundCells,
  type ThroughputResult,
} from './throughput.ts';
import { uniqueSegmentName } from './segment-names.ts';

export interface RingClassModule {
  /** URL of the module that exports the ring class. */
  url: URL;
  exportName: string;
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

export const RING_MEASURE: RingMeasure = {
  capacity: 1024,
  count: 200_000,
  warmups: 1,
  rounds: 5,
  cutFactor: 40,
  timeoutMs: 120_000,
};

export interface RingThroughput {
  result: ThroughputResult;
  /** The ring's values/s over the yardstick's: the better of the medians' and best rounds' ratios. */
  fraction: number;
  /** One line with every figure, for a test's output. */
  summary: string;
}

const yardstick: RingClassModule = {
  url: new URL('../../native/atomics-ring.ts', import.meta.url),
  exportName: 'AtomicsRing',
};
const streamActor = actorsOf(new URL('./ring-stream.ts', import.meta.url));

function rate(perSecond: number): string {
  return perSecond >= 1e6
    ? `${(perSecond / 1e6).toFixed(2)} M/s`
    : `${(perSecond / 1e3).toFixed(0)} k/s`;
}

/**
 * Measures `ring` (laid out here with its own static init) against the yardstick.
 * Throws, with each actor's failure, if a ring lost, repeated or reordered a value.
 */
export async function measureRing(
  ring: RingClassModule & {
    init(segment: Segment, byteOffset: number, capacity: number): unknown;
    byteLength(capacity: number): number;
  },
  measure: RingMeasure = RING_MEASURE,
): Promise<RingThroughput> {
  // The round cells on the first page, then each ring on pages of its own.
  const pages = (bytes: number) => Math.ceil(bytes / 4096) * 4096;
  const yardstickOffset = 4096;
  const ringOffset = yardstickOffset + pages(AtomicsRing.byteLength(measure.capacity));
  const segment = Segment.create(
    uniqueSegmentName('ring-throughput'),
    ringOffset + pages(ring.byteLength(measure.capacity)),
  );
  try {
    AtomicsRing.init(segment, yardstickOffset, measure.capacity);
    ring.init(segment, ringOffset, measure.capacity);
    const cells = (first: number): RoundCells => ({
      ready: first,
      go: first + 1,
      stop: first + 2,
      taken: first + 3,
      done: first + 4,
    });
    const sides = [
      { name: 'yardstick', module: yardstick, offset: yardstickOffset, cells: cells(8) },
      { name: 'ring', module: ring, offset: ringOffset, cells: cells(16) },
    ];
    const common = { segment: segment.name, rounds: maxRounds(measure), count: measure.count };
    const running = runActors(
      sides.flatMap((side) =>
        (['ringProducer', 'ringConsumer'] as const).map((role) =>
          streamActor(`${side.name} ${role}`, 'process', role, {
            ...common,
            implementation: side.module.url.href,
            exportName: side.module.exportName,
            ringOffset: side.offset,
            cells: side.cells,
          }),
        ),
      ),
      { timeoutMs: measure.timeoutMs },
    );
    let ended = false;
    void running.then(() => (ended = true));
    const result = await compareThroughput({
      segment,
      reference: sides[0].cells,
      learner: sides[1].cells,
      ...measure,
      slowest: Infinity, // no verdict here: never run extra rounds for a close one
      ended: () => ended,
    });
    const failures = describeFailures(await running);
    if (failures || !result)
      throw new Error(`the stream failed: ${failures || 'an actor ended early'}`);
    const fraction = 1 / result.slowdown;
    const summary =
      `${(fraction * 100).toFixed(0)}% of the yardstick ring's throughput` +
      ` (medians: ${rate(result.learnerMedian)} against ${rate(result.referenceMedian)};` +
      ` best rounds: ${rate(result.learnerBest)} against ${rate(result.referenceBest)};` +
      ` ${result.learner.length} rounds of ${measure.count} values each way, process to process, capacity ${measure.capacity}` +
      `${result.cut ? `; ${result.cut} rounds stopped early at ${measure.cutFactor}x the yardstick's time` : ''})`;
    return { result, fraction, summary };
  } finally {
    segment.close();
    Segment.unlink(segment.name);
  }
}
