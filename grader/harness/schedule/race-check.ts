// The race check learners run: `npm run course -- verify ID` and
// `npm test -- exercises/ID` run the exercise's own race.test.ts, which calls
// raceCheck() here. One small scenario of its own (exercises/ID/race-actors.ts),
// under controlled schedules, with fixed public seeds: the same interleavings
// every time, so a failure replays by running the check again. It ships in the
// student release; the hidden suites' scenarios and seeds are not these.
import { exploreSchedules } from './explore.ts';
import { RACE_CHECK_RUNS, RACE_CHECK_SEEDS } from './race-check-settings.ts';
import { type SegmentScenario, segmentScenario } from './under-control.ts';

export interface RaceCheck extends SegmentScenario {
  exerciseId: string;
  runs?: number;
  seeds?: readonly number[];
}

/** Runs the scenario under each seed; throws the first failure, with its interleaving. */
export async function raceCheck(c: RaceCheck): Promise<{ runs: number; steps: number }> {
  const seeds = c.seeds ?? RACE_CHECK_SEEDS;
  let runs = 0;
  let steps = 0;
  for (const seed of seeds) {
    const result = await exploreSchedules(segmentScenario(c), {
      exerciseId: c.exerciseId,
      seed,
      runs: c.runs ?? RACE_CHECK_RUNS,
      replay: `npm run course -- verify ${c.exerciseId} (public seed ${seed}: the same interleaving every time your code is the same)`,
    });
    runs += result.runs;
    steps += result.steps;
    if (result.failure)
      throw new Error(
        `race check, public seed ${seed} (of ${seeds.join(', ')}): ${result.failure.message}`,
      );
  }
  return { runs, steps };
}
