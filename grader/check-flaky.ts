// npm run check:flaky -- [RUNS] [--seed N] [--parallel P] [--exercise ID]
// Grades solutions/ RUNS times (default 20) with consecutive seeds. A reference
// solution is correct, so every test it fails is a false failure, a flaky
// race check; the only acceptable count is 0 (exit 1 otherwise). --parallel 2
// grades two at a time, the load of `npm run grade -- --batch`.
import { parseArgs } from 'node:util';
import { eachAtMost } from './src/batch.ts';
import { gradeSubmission } from './src/grade.ts';
import { repoRoot } from './src/registry.ts';
import type { GradeReport } from './src/report.ts';
import { randomSeed, tallyRuns } from './src/runs.ts';

const usage =
  'Usage: npm run check:flaky -- [RUNS (default 20)] [--seed N] [--parallel P (default 1)] [--exercise ID ...]';

function count(text: string | undefined, fallback: number, name: string, min: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer of at least ${min}, got "${text}"`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      parallel: { type: 'string' },
      exercise: { type: 'string', multiple: true },
    },
  });
  const runs = count(positionals[0], 20, 'RUNS', 1);
  const first = count(values.seed, randomSeed(), '--seed', 0);
  const parallel = count(values.parallel, 1, '--parallel', 1);
  const seeds = Array.from({ length: runs }, (_, i) => first + i);
  const reports: GradeReport[] = [];
  console.error(
    `grading solutions/ ${runs} times, seeds ${first}..${first + runs - 1}, ${parallel} at a time`,
  );
  await eachAtMost(seeds, parallel, async (seed) => {
    const report = await gradeSubmission(`${repoRoot}solutions`, {
      seed,
      exercises: values.exercise,
    });
    reports.push(report);
    console.error(
      `[${reports.length}/${runs}] seed ${seed}: ${report.score}/${report.maxScore} (${(report.durationMs / 1000).toFixed(1)} s)`,
    );
  });
  reports.sort((a, b) => a.seed - b.seed);

  const tallies = tallyRuns(reports);
  console.log(`\nfalse failures per test over ${runs} runs of solutions/:`);
  for (const tally of tallies) {
    console.log(`${String(tally.failures.length).padStart(4)}  ${tally.exercise}  ${tally.name}`);
    for (const failure of tally.failures)
      console.log(
        `        seed ${failure.seed} (${failure.status}): ${failure.message.split('\n')[0].slice(0, 160)}`,
      );
  }
  // An exercise that never ran a test has no tallies: count each run of it as a failure here.
  const tallied = new Set(tallies.map((t) => t.exercise));
  const ungraded = reports.flatMap((r) =>
    r.exercises
      .filter((e) => !tallied.has(e.id))
      .map((e) => `seed ${r.seed}: ${e.id}: ${e.error ?? 'no tests'}`),
  );
  for (const line of ungraded) console.log(`not graded: ${line}`);
  const falseFailures = tallies.reduce((n, t) => n + t.failures.length, 0) + ungraded.length;
  console.log(
    `\n${falseFailures} false failures in ${runs} runs (replay one with: npm run grade -- solutions --seed N)`,
  );
  return falseFailures === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const bad =
      error instanceof Error &&
      (/must be an integer/.test(error.message) ||
        (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));
    console.error(
      bad
        ? `check:flaky: ${error.message}\n${usage}`
        : `check:flaky: the grader failed: ${(error as Error).stack ?? error}`,
    );
    process.exit(bad ? 2 : 1);
  },
);
