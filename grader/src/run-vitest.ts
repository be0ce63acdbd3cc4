// The one file that touches vitest's Node API: run one exercise's hidden suite
// against a staged submission and stream per-test results to a callback.
//
// config:false keeps the learner-facing config out. The suite never imports the
// submission (there is no alias for it): it reaches it through untrusted
// processes (harness/realm/, IPC_SUBMISSION_DIR). Exact futex waits and a wait limit make a lost
// wakeup fail instead of hiding behind 50 ms polling (harness/wait-environment.ts).
import { join } from 'node:path';
import { createVitest, type Reporter, type TestCase, type TestModule } from 'vitest/node';
import { nativeBoundary } from '../harness/native-boundary.ts';
import { waitEnvironment } from '../harness/wait-environment.ts';
import type { ControlledDetails } from '../harness/failure-class.ts';
import { type SeededFailure, seedLine } from '../harness/seed.ts';
import { controlledDetailsOf } from './controlled-details.ts';
import { SUITE_HEAP_FLAGS } from './memory-limit.ts';
import { repoRoot } from './registry.ts';

export interface ScheduleChoice {
  runs?: number;
  strategy?: string;
}

export interface SuiteRun {
  exerciseId: string;
  /** Folder holding <exerciseId>/<files>: the staged submission. */
  submissionDir: string;
  seed: number;
  /** Only tests whose name matches (the corpus check runs only the labelled test). */
  testNamePattern?: string;
  /** File where each test's start is recorded (harness/beacon.ts), for the sandbox's watchdog. */
  beacon?: string;
  /** Where the harness and shim the run uses live: a private copy (integrity.ts) or the repo. */
  trustedRoot?: string;
  /** Controlled-schedule tests: runs per test and strategy (grade --runs, --strategy); the suites' defaults if unset. */
  schedule?: ScheduleChoice;
  /** IPC_SHIM_WAIT_LIMIT_MS for this run, if not the default (the corpus check fails known hangs sooner). */
  waitLimitMs?: number;
  /** Variables of the grading's realm for the trusted processes (IPC_REALM, IPC_SHM_DIR; grader/src/realm.ts). */
  env?: Record<string, string>;
  /** Run these globs under `root` instead of the hidden suite (the visible tests). */
  visible?: { root: string; include: string[] };
}

export interface ResultRow {
  name: string;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  error: string | null;
  durationMs: number | null;
  /** What the test reported about itself with context.annotate (a measurement), if anything. */
  notes?: string[];
  /** A failed controlled test's trace and failure class (never read out of the message). */
  controlled?: ControlledDetails;
  /** A failed seeded test's seed and the command that replays it (never read out of the message). */
  seed?: number;
  replay?: string;
}

export interface SuiteEvents {
  /** Every test the suite declares, before any runs (a test that never reports hung). */
  onTests(names: string[]): void;
  onResult(row: ResultRow): void;
  /** An error outside any test: import failure, unhandled rejection, crash of a fork. */
  onError(message: string): void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** The seed and replay command a failed test's error carries (harness/seed.ts), checked. */
function seededFailureOf(error: unknown): SeededFailure | undefined {
  const { seed, replay } = (error ?? {}) as { seed?: unknown; replay?: unknown };
  if (!Number.isInteger(seed) || (seed as number) < 0 || typeof replay !== 'string') return;
  return { seed: seed as number, replay: replay.slice(0, 500) };
}

/** An error's message (without the seed line of `failure`: the row has it as fields) and diff. */
function errorText(
  error: { message?: string; name?: string; diff?: string } | undefined,
  failure?: SeededFailure,
): string | null {
  if (!error) return null;
  let message = error.message ?? error.name ?? 'error';
  const line = failure ? seedLine(failure) : '';
  if (line && message.endsWith(line)) message = message.slice(0, -line.length);
  return `${message}${error.diff ? `\n${error.diff}` : ''}`;
}

export async function runSuite(run: SuiteRun, events: SuiteEvents): Promise<void> {
  const reporter: Reporter = {
    onTestCaseResult(testCase: TestCase) {
      const result = testCase.result();
      const error = result.errors?.[0];
      const failure = seededFailureOf(error);
      events.onResult({
        name: testCase.name,
        state: result.state,
        error: errorText(error, failure),
        durationMs: testCase.diagnostic()?.duration ?? null,
        notes: testCase.annotations().map((a) => a.message),
        controlled: controlledDetailsOf(error),
        ...failure,
      });
    },
    onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled) {
      for (const module of modules)
        for (const error of module.errors()) events.onError(errorText(error) ?? 'error');
      for (const error of unhandled) events.onError(errorText(error) ?? 'unhandled error');
    },
  };
  const trusted = run.trustedRoot ?? repoRoot;
  const root = run.visible?.root ?? trusted;
  const include = run.visible?.include ?? [`grader/suites/${run.exerciseId}/**/*.test.ts`];
  const vitest = await createVitest(
    'test',
    {
      config: false,
      root,
      include,
      watch: false,
      pool: 'forks',
      maxWorkers: 1,
      isolate: true,
      // vitest 5 caches transformed modules on disk by default, keyed so that one
      // submission's staged file can be served to another grading: never cache.
      fsModuleCache: false,
      // Nor keep its results: they would land in the repository's
      // node_modules/.vite, replacing the durations npm test orders its files by.
      cache: false,
      testTimeout: DEFAULT_TIMEOUT_MS,
      hookTimeout: 30_000,
      teardownTimeout: 5_000,
      execArgv: SUITE_HEAP_FLAGS,
      testNamePattern: run.testNamePattern,
      reporters: [reporter],
      setupFiles: [
        join(trusted, 'grader/harness/beacon.ts'),
        join(trusted, 'grader/harness/intrinsics-guard.ts'),
      ],
      env: {
        ...waitEnvironment,
        ...(run.waitLimitMs === undefined
          ? {}
          : { IPC_SHIM_WAIT_LIMIT_MS: String(run.waitLimitMs) }),
        IPC_SUBMISSION_DIR: run.submissionDir,
        IPC_GRADER_SEED: String(run.seed),
        IPC_GRADER_BEACON: run.beacon ?? '',
        IPC_SCHEDULE_RUNS: run.schedule?.runs === undefined ? '' : String(run.schedule.runs),
        IPC_SCHEDULE_STRATEGY: run.schedule?.strategy ?? '',
      },
    },
    {
      plugins: [nativeBoundary(run.submissionDir)],
      resolve: {
        alias: {
          '@ipc-course/shim': join(trusted, 'native/index.ts'),
          // The visible tests' race check (exercises/*/race.test.ts).
          '@ipc-course/race-check': join(trusted, 'grader/harness/schedule/race-check.ts'),
        },
      },
    },
  );
  try {
    const specifications = await vitest.globTestSpecifications();
    const modules = await vitest.experimental_parseSpecifications(specifications);
    const names: string[] = [];
    for (const module of modules)
      for (const test of module.children.allTests()) names.push(test.name);
    events.onTests(names);
    await vitest.start(specifications.map((s) => s.moduleId));
  } finally {
    await vitest.close();
  }
}
