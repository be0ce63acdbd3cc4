// npm run check:catches -- [--exercise ID ...] [--seed N] [--parallel P] [--controlled-only]
// Grades every known-buggy submission with its whole hidden suite (one default
// grading each) and says which kind of test caught it: the stress tests (real
// parallelism, perturbation), the controlled-schedule test, or both, and how
// many controlled runs the catch took, and for a controlled catch the rows of
// the shrunk trace shown, whether its racing pair was named, and what the
// shrinking cost. A measurement for maintainers, not a test: npm test already
// proves each entry fails the test its label names.
import { parseArgs } from 'node:util';
import { eachAtMost } from './src/batch.ts';
import { corpusSubmission, loadCorpus } from './src/corpus.ts';
import { gradeSubmission } from './src/grade.ts';
import { hasHiddenSuite, loadExercises } from './src/registry.ts';

const CONTROLLED = 'under controlled schedules';

interface Row {
  exercise: string;
  file: string;
  stress: number;
  controlled: string;
  /** Rows of the controlled test's trace, its racing pair named or not, the shrinking's seconds. */
  rows: number | null;
  pair: boolean | null;
  shrinkSeconds: number | null;
  seconds: number;
}

/** The goal of issue 14: every race explained in at most this many rows. */
const ROW_GOAL = 15;

const { values } = parseArgs({
  options: {
    exercise: { type: 'string', multiple: true },
    seed: { type: 'string' },
    parallel: { type: 'string' },
    'controlled-only': { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed ?? 1);
const parallel = Number(values.parallel ?? 2);
const exercises = loadExercises().filter(
  (e) => hasHiddenSuite(e.id) && (!values.exercise || values.exercise.includes(e.id)),
);
const jobs = exercises.flatMap((exercise) =>
  loadCorpus(exercise).map((entry) => ({ exercise, entry })),
);
const rows: Row[] = [];
const started = performance.now();
console.error(
  `grading ${jobs.length} known-buggy submissions, seed ${seed}, ${parallel} at a time`,
);

await eachAtMost(jobs, parallel, async ({ exercise, entry }) => {
  const submission = corpusSubmission(entry, exercise);
  const begun = performance.now();
  try {
    const report = await gradeSubmission(submission.dir, {
      exercises: [exercise.id],
      seed,
      testNamePattern: values['controlled-only'] ? CONTROLLED : undefined,
    });
    const tests = report.exercises[0].tests;
    const failed = tests.filter((t) => t.status === 'failed' || t.status === 'timeout');
    if (failed.some((t) => /tampering:/.test(t.message)))
      console.error(
        `  ${entry.file}: scored for tampering (the grader's files changed meanwhile): ignore this row`,
      );
    const controlled = failed.find((t) => t.name.includes(CONTROLLED));
    const hasControlled = tests.some((t) => t.name.includes(CONTROLLED));
    const runs = controlled ? /controlled run (\d+) of (\d+)/.exec(controlled.message) : null;
    rows.push({
      exercise: exercise.id,
      file: entry.file.split('/').pop()!,
      stress: failed.filter((t) => t !== controlled).length,
      controlled: !hasControlled
        ? 'no test'
        : controlled
          ? runs
            ? `run ${runs[1]}/${runs[2]}`
            : controlled.status
          : 'passed',
      rows: controlled?.traceRows ?? null,
      pair: controlled?.trace ? Boolean(controlled.racingPair) : null,
      shrinkSeconds: controlled?.shrinkMs === undefined ? null : controlled.shrinkMs / 1000,
      seconds: (performance.now() - begun) / 1000,
    });
    console.error(`[${rows.length}/${jobs.length}] ${exercise.id} ${entry.file.split('/').pop()}`);
  } finally {
    submission.remove();
  }
});

rows.sort((a, b) => `${a.exercise}/${a.file}`.localeCompare(`${b.exercise}/${b.file}`));
console.log(
  [
    'exercise',
    'known-buggy submission',
    'stress tests failed',
    'controlled test',
    'trace rows',
    'racing pair',
    'shrinking s',
    'grading s',
  ].join(' | '),
);
const dash = (value: string | null) => value ?? '-';
for (const r of rows)
  console.log(
    [
      r.exercise,
      r.file,
      r.stress,
      r.controlled,
      dash(r.rows === null ? null : `${r.rows}${r.rows > ROW_GOAL ? ' (over)' : ''}`),
      dash(r.pair === null ? null : r.pair ? 'named' : 'none found'),
      dash(r.shrinkSeconds === null ? null : r.shrinkSeconds.toFixed(2)),
      r.seconds.toFixed(1),
    ].join(' | '),
  );
const byStress = rows.filter((r) => r.stress > 0);
const byControlled = rows.filter(
  (r) => r.controlled.startsWith('run') || r.controlled === 'failed' || r.controlled === 'timeout',
);
const both = rows.filter((r) => byStress.includes(r) && byControlled.includes(r));
const runsNeeded = byControlled.flatMap((r) =>
  /run (\d+)/.exec(r.controlled) ? [Number(/run (\d+)/.exec(r.controlled)![1])] : [],
);
console.log(
  `\n${rows.length} known-buggy submissions: caught by stress ${byStress.length}, by the controlled test ${byControlled.length}, by both ${both.length}, by stress only ${byStress.length - both.length}, by the controlled test only ${byControlled.length - both.length}, by neither ${rows.filter((r) => !byStress.includes(r) && !byControlled.includes(r)).length}`,
);
if (runsNeeded.length)
  console.log(
    `controlled runs needed: median ${runsNeeded.sort((a, b) => a - b)[Math.floor(runsNeeded.length / 2)]}, max ${Math.max(...runsNeeded)}`,
  );
const traced = rows.filter((r) => r.rows !== null);
if (traced.length)
  console.log(
    `controlled traces: ${traced.filter((r) => r.rows! <= ROW_GOAL).length} of ${traced.length} at most ${ROW_GOAL} rows (median ${[...traced].sort((a, b) => a.rows! - b.rows!)[Math.floor(traced.length / 2)].rows}, max ${Math.max(...traced.map((r) => r.rows!))}), racing pair named in ${traced.filter((r) => r.pair).length}; shrinking took at most ${Math.max(...traced.map((r) => r.shrinkSeconds ?? 0)).toFixed(2)} s`,
  );
console.log(
  `mean grading time ${(rows.reduce((n, r) => n + r.seconds, 0) / rows.length).toFixed(1)} s; total ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
