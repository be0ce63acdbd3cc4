// npm run grade -- SUBMISSION [options] | --batch DIR [options]: argument parsing only; grader/src does the work.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formats } from './src/reporters/index.ts';
import { loadAssignment } from './src/assignment/assignment.ts';
import { parseShard } from './src/shard.ts';
import { STRATEGIES } from './harness/schedule/strategy-names.ts';
import { UsageError } from './src/submission.ts';
import { SANDBOX_MODES, type SandboxMode } from './src/sandbox-modes.ts';

// The grading modules (vitest, the native shim) load only once the arguments are known good.
const grading = () => import('./src/grade-and-report.ts');
const batching = () => Promise.all([import('./src/batch.ts'), import('./src/gradebook.ts')]);

const usage = `Usage: npm run grade -- SUBMISSION [options]
       npm run grade -- --batch DIR [options]

Grades SUBMISSION (a copy of exercises/ with your files filled in) with the hidden suites.

Options:
  --assignment FILE  grade this assignment (assignments/*.json): its exercises and points; the
                     reports show what its visibility lets students see, and record its hash
  --exercise ID      grade only this exercise (repeatable; "04-mutex" or "mutex")
  --test NAME        run only the hidden test with this exact name (repeatable); the others
                     are reported as skipped and score 0
  --seed N           schedule seed for race checks (printed with every failure; replays it)
  --runs N           schedules each controlled-schedule test tries (default: the suite's,
                     enough to catch every known-buggy submission)
  --strategy NAME    how those schedules are picked: mixed (default: random walk and
                     PCT in turn), pct, or random
  --repeat N         grade N times with consecutive seeds (seed, seed+1, ...); a test
                     passes only if it passed in every run
  --format LIST      comma-separated output formats: ${Object.keys(formats).join(', ')} (default text;
                     with --batch, each submission's files go to <gradebook>-reports/)
  --out DIR          write each format's file into DIR (and print the text table)
  --batch DIR        grade every submission folder inside DIR; --out FILE.csv is then the
                     gradebook (default DIR/gradebook.csv), with FILE-tests.csv beside it
  --shard K/N        with --batch: grade only the K-th of N slices of the sorted folders
  --jobs N           with --batch: submissions graded at once (default 2)
  --sandbox MODE     how submission code is confined: auto (default: every layer this host
                     offers), strict (refuse to grade without a uid of its own per grading,
                     so the grader must run as root; namespaces where bubblewrap works), or
                     off (only the always-on rules, for measuring); the report says which
                     layers were in force
  --help             this text

Exit code: 0 when grading worked (whatever the score), 1 when the grader failed
(for --batch: for any submission), 2 for bad arguments or a folder that is not a submission.`;

function positiveInteger(
  name: string,
  text: string | undefined,
  fallback: number,
  min = 1,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`--${name} must be an integer of at least ${min}, got "${text}"`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      assignment: { type: 'string' },
      exercise: { type: 'string', multiple: true },
      test: { type: 'string', multiple: true },
      seed: { type: 'string' },
      runs: { type: 'string' },
      strategy: { type: 'string' },
      repeat: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      batch: { type: 'string' },
      shard: { type: 'string' },
      jobs: { type: 'string' },
      sandbox: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const seed = values.seed === undefined ? undefined : positiveInteger('seed', values.seed, 0, 0);
  const runs = positiveInteger('repeat', values.repeat, 1);
  if (values.strategy !== undefined && !(STRATEGIES as readonly string[]).includes(values.strategy))
    throw new UsageError(
      `--strategy must be one of ${STRATEGIES.join(', ')}, got "${values.strategy}"`,
    );
  const schedule = {
    runs: values.runs === undefined ? undefined : positiveInteger('runs', values.runs, 1),
    strategy: values.strategy,
  };
  const chosen = (values.format ?? 'text')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const name of chosen)
    if (!formats[name])
      throw new UsageError(
        `unknown format "${name}"; choose from ${Object.keys(formats).join(', ')}`,
      );
  const escapeName = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // vitest matches the full name (describe blocks first): the test's own name ends it.
  const testNamePattern = values.test && `(${values.test.map(escapeName).join('|')})$`;
  const sandbox = (values.sandbox ?? 'auto') as SandboxMode;
  if (!SANDBOX_MODES.includes(sandbox))
    throw new UsageError(
      `--sandbox must be one of ${SANDBOX_MODES.join(', ')}, got "${values.sandbox}"`,
    );
  if (values.assignment !== undefined && values.exercise !== undefined)
    throw new UsageError('--assignment chooses the exercises: drop --exercise');
  const assignment =
    values.assignment === undefined ? undefined : loadAssignment(values.assignment);
  const exercises = assignment ? assignment.exercises.map((e) => e.id) : values.exercise;
  const grade = { exercises, seed, schedule, testNamePattern, sandbox, assignment };

  if (values.batch === undefined) {
    for (const option of ['shard', 'jobs'] as const)
      if (values[option] !== undefined) throw new UsageError(`--${option} goes with --batch DIR`);
    if (positionals.length !== 1)
      throw new UsageError(`expected one SUBMISSION folder, got ${positionals.length}`);
    const { gradeAndReport } = await grading();
    await gradeAndReport(positionals[0], {
      grade: { ...grade, onProgress: (message) => process.stderr.write(`${message}\n`) },
      runs,
      formats: chosen,
      out: values.out,
    });
    return 0;
  }

  if (positionals.length > 0)
    throw new UsageError(
      `--batch DIR grades the folders inside DIR; drop the extra argument "${positionals[0]}"`,
    );
  const out = values.out;
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const jobs = positiveInteger('jobs', values.jobs, 2);
  const [{ gradeBatch }, { summarizeTests, testSummaryText }] = await batching();
  const result = await gradeBatch(values.batch, {
    grade,
    runs,
    shard,
    gradebook:
      out === undefined
        ? join(values.batch, 'gradebook.csv')
        : /\.csv$/i.test(out)
          ? out
          : join(out, 'gradebook.csv'),
    formats: values.format === undefined ? [] : chosen,
    jobs,
  });
  process.stdout.write(testSummaryText(summarizeTests(result.rows)));
  const notGraded = result.rows.filter((row) => !row.report).length;
  console.log(
    `\n${result.rows.length} submissions, ${notGraded} not graded. Gradebook: ${result.gradebook}; tests: ${result.testSummary}`,
  );
  return result.graderFailures > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`grade: ${(error as Error).message}\n\n${usage}`);
      process.exit(2);
    }
    console.error(`grade: the grader failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
