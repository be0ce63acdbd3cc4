// Throughput of a learner's implementation against the reference's, measured in
// the same run: each side is a producer and a consumer already started (and
// asleep) in processes of their own, and the suite starts their rounds by
// turns (reference, learner, reference, learner, ...), so a load that comes and
// goes on the machine hits both alike; a median over rounds drops the outliers.
// Load only ever slows a round down, so the best rounds are a second estimate:
// `slowdown` is the kinder of the two ratios. A burst of load that happened to
// hit the learner's rounds harder cannot fail it; a slow submission is slow in
// every round, its best one too.
// The clock is the suite's own (performance.now, watched by intrinsics-guard.ts):
// a submission cannot make itself look fast by patching the one in its process.
import type { Segment } from '@ipc-course/shim';

/** The cells through which the suite drives one producer/consumer pair (see the suite's scenarios). */
export interface RoundCells {
  /** Each actor of the pair adds 1 once attached. */
  ready: number;
  /** The suite stores round r to start round r. */
  go: number;
  /** The suite stores r to cut round r short. */
  stop: number;
  /** Values the consumer has taken over all rounds (stored every 256 and at each round's end). */
  taken: number;
  /** The consumer stores r once round r is over. */
  done: number;
}

/** Stored in `go`: no more rounds, the actors return. Stored in `done` by an actor that failed. */
export const FINISHED = 0x7fffffff;
export const FAILED = -1;

export interface ThroughputPlan {
  segment: Segment;
  reference: RoundCells;
  learner: RoundCells;
  /** Rounds each side runs before the measured ones, to let the JIT and the caches settle. */
  warmups: number;
  /** Measured rounds; as many again when the first verdict is close (a slowdown within 2x of `slowest`). */
  rounds: number;
  /** Values per round. */
  count: number;
  /** The slowdown (reference / learner) a verdict allows. */
  slowest: number;
  /** A learner round that takes this many times the reference's median round is cut short (it is slow enough). */
  cutFactor: number;
  /** True once every actor has ended: stop waiting for rounds. */
  ended: () => boolean;
}

/** The most rounds compareThroughput starts: what each actor must be ready to run. */
export const maxRounds = (plan: Pick<ThroughputPlan, 'warmups' | 'rounds'>) =>
  plan.warmups + 2 * plan.rounds;

export interface ThroughputResult {
  /** Values per second, one per measured round. */
  reference: number[];
  learner: number[];
  /** Measured learner rounds that were cut short. */
  cut: number;
  /** Medians of the rounds, and their ratio reference / learner (how many times slower the learner is). */
  referenceMedian: number;
  learnerMedian: number;
  medianRatio: number;
  /** The fastest round of each, and their ratio. */
  referenceBest: number;
  learnerBest: number;
  bestRatio: number;
  /** min(medianRatio, bestRatio): what a verdict should compare with its limit. */
  slowdown: number;
}

// Not native/bench/measure.ts's: a graded run has only grader/harness and the shim (integrity.ts).
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs round `round` of one pair; its throughput in values/s, or null if an actor failed or ended first. */
async function timeRound(
  plan: ThroughputPlan,
  cells: RoundCells,
  round: number,
  cutAfterMs: number,
): Promise<{ perSecond: number; cut: boolean } | null> {
  const { segment } = plan;
  const takenBefore = segment.load(cells.taken);
  const start = performance.now();
  segment.store(cells.go, round);
  segment.notify(cells.go); // partner: the actors' wait in awaitRound
  let cutShort: number | null = null;
  for (let done = segment.load(cells.done); done < round; done = segment.load(cells.done)) {
    if (done === FAILED || plan.ended()) return null;
    const elapsed = performance.now() - start;
    if (cutShort === null && elapsed > cutAfterMs) {
      cutShort = ((segment.load(cells.taken) - takenBefore) / elapsed) * 1000;
      segment.store(cells.stop, round);
    }
    await segment.waitAsync(cells.done, done, 20); // partner: the consumer's notify at the end of a round
  }
  if (cutShort !== null) return { perSecond: cutShort, cut: true };
  return { perSecond: (plan.count / (performance.now() - start)) * 1000, cut: false };
}

function summary(reference: number[], learner: number[], cut: number): ThroughputResult {
  const referenceMedian = median(reference);
  const learnerMedian = median(learner);
  const referenceBest = Math.max(...reference);
  const learnerBest = Math.max(...learner);
  const medianRatio = referenceMedian / learnerMedian;
  const bestRatio = referenceBest / learnerBest;
  return {
    reference,
    learner,
    cut,
    referenceMedian,
    learnerMedian,
    medianRatio,
    referenceBest,
    learnerBest,
    bestRatio,
    slowdown: Math.min(medianRatio, bestRatio),
  };
}

async function bothReady(plan: ThroughputPlan): Promise<boolean> {
  for (const cells of [plan.reference, plan.learner]) {
    for (
      let ready = plan.segment.load(cells.ready);
      ready < 2;
      ready = plan.segment.load(cells.ready)
    ) {
      // a producer and a consumer
      if (plan.segment.load(cells.done) === FAILED || plan.ended()) return false;
      await plan.segment.waitAsync(cells.ready, ready, 20);
    }
  }
  return true;
}

/**
 * Rounds by turns, reference first; null if an actor failed before the last round.
 * Whatever happens, the actors are told FINISHED at the end, so none is left asleep.
 */
export async function compareThroughput(plan: ThroughputPlan): Promise<ThroughputResult | null> {
  const reference: number[] = [];
  const learner: number[] = [];
  const referenceMs: number[] = [];
  let cut = 0;
  let round = 0;
  const runRounds = async (count: number, measured: boolean): Promise<boolean> => {
    for (let i = 0; i < count; i++) {
      round++;
      const ours = await timeRound(plan, plan.reference, round, Infinity);
      if (!ours) return false;
      referenceMs.push((plan.count / ours.perSecond) * 1000);
      const theirs = await timeRound(
        plan,
        plan.learner,
        round,
        plan.cutFactor * median(referenceMs),
      );
      if (!theirs) return false;
      if (!measured) continue;
      reference.push(ours.perSecond);
      learner.push(theirs.perSecond);
      if (theirs.cut) cut++;
    }
    return true;
  };
  try {
    if (
      !(await bothReady(plan)) ||
      !(await runRounds(plan.warmups, false)) ||
      !(await runRounds(plan.rounds, true))
    )
      return null;
    const first = summary(reference, learner, cut);
    const close = first.slowdown > plan.slowest && first.slowdown < 2 * plan.slowest;
    if (!close) return first;
    return (await runRounds(plan.rounds, true)) ? summary(reference, learner, cut) : null;
  } finally {
    for (const cells of [plan.reference, plan.learner]) {
      plan.segment.store(cells.go, FINISHED);
      plan.segment.notify(cells.go);
    }
  }
}
