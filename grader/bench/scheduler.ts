// npm run bench -- scheduler: how fast controlled scheduling goes. Each
// scheduling point is one hand-over to an actor and one back, so its floor is
// a futex round trip between two processes, measured in the same run.
import { Segment } from '@ipc-course/shim';
import { futexRoundTripUs } from '../../native/bench/shim.ts';
import { table } from '../../native/bench/measure.ts';
import { exploreSchedules, type ControlledScenario } from '../harness/schedule/explore.ts';
import { segmentScenario } from '../harness/schedule/under-control.ts';

const scenarios = new URL('../test/fixtures/controlled-scenarios.ts', import.meta.url);
const RUNS = 300;

function lockedCounter(kinds: Array<'worker' | 'process'>): ControlledScenario<Segment> {
  const actors = kinds.map((kind, i) => ({ name: `A${i}`, kind, scenario: 'lockedIncrement' }));
  return segmentScenario({
    scenarios,
    segmentBytes: 64,
    actors,
    check: (_, segment) => (segment.load(0) === 2 * actors.length ? null : 'lost update'),
  });
}

export async function benchScheduler(): Promise<void> {
  const futexUs = await futexRoundTripUs();
  const rows: [string, string, string][] = [
    ['futex round trip, 2 processes (the floor)', `${futexUs.toFixed(1)} us`, '1.00x'],
  ];
  for (const kinds of [
    ['worker', 'worker'],
    ['worker', 'worker', 'process'],
  ] as Array<Array<'worker' | 'process'>>) {
    for (const strategy of ['random', 'pct'] as const) {
      const started = performance.now();
      const result = await exploreSchedules(lockedCounter(kinds), {
        exerciseId: 'bench',
        seed: 1,
        runs: RUNS,
        strategy,
      });
      const seconds = (performance.now() - started) / 1000;
      if (result.failure) throw new Error(result.failure.message);
      const stepUs = (seconds * 1e6) / result.steps;
      rows.push([
        `${strategy}, ${kinds.join(' + ')}: ${RUNS} runs, ${result.steps} points`,
        `${Math.round(result.steps / seconds)} points/s`,
        `${stepUs.toFixed(1)} us a point, ${(stepUs / futexUs).toFixed(2)}x the floor; ${(RUNS / seconds).toFixed(0)} runs/s`,
      ]);
    }
  }
  console.log(table(rows));
  console.log('(time includes starting the actors once per line, and a fresh segment per run)');
}
