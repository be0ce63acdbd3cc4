// The one vitest configuration: `npm test` (maintainers: shim, lessons, hidden
// suites against solutions/, grader self-tests) and `npm test -- exercises/X`
// (learners: the visible tests of their own exercise files).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { LongFirstSequencer } from './harness/long-first-sequencer.ts';
import { nativeBoundary } from './harness/native-boundary.ts';
import { waitEnvironment } from './harness/wait-environment.ts';
import { loadExercises } from './src/registry.ts';
import { stageSubmission } from './src/submission.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const shim = fileURLToPath(new URL('../native/index.ts', import.meta.url));
// The learners' race check (exercises/*/race.test.ts): public, it ships in the student copy.
const raceCheck = fileURLToPath(new URL('./harness/schedule/race-check.ts', import.meta.url));
// Hidden suites reach `IPC_SUBMISSION_DIR/<id>/<file>.ts` through untrusted
// processes (harness/realm/); the grader points it at a submission, `npm test`
// at the reference solutions. There is no alias: a suite cannot import it.
// A filter inside exercises/ means a learner is checking their own work: run only
// the visible tests there. Without one, exercises/ is skipped, since the
// starters fail by design (grader/test proves they do).
const filters = process.argv.slice(2);
const learnerRun = filters.some((arg) => /(^|[\\/])exercises([\\/]|$)/.test(arg));
// Hidden suites run in npm test through the real grading path
// (grader/test/solutions.test.ts); name one to run it directly.
const suiteRun = filters.some((arg) => /(^|[\\/])suites([\\/]|$)/.test(arg));

const submission = process.env.IPC_SUBMISSION_DIR ?? stagedSolutions();

/**
 * A suite run straight from the command line grades solutions/ as grading
 * would: a staged copy, with the given files (06's mutex, 22's mailbox) laid
 * in from exercises/, their one source.
 */
function stagedSolutions(): string {
  const solutions = fileURLToPath(new URL('../solutions', import.meta.url));
  if (!suiteRun) return solutions;
  const staged = stageSubmission(solutions, loadExercises());
  process.on('exit', () => staged.remove());
  return staged.dir;
}

export default defineConfig({
  root,
  plugins: [nativeBoundary(submission)],
  resolve: { alias: { '@ipc-course/shim': shim, '@ipc-course/race-check': raceCheck } },
  test: {
    include: learnerRun
      ? ['exercises/**/*.test.ts']
      : suiteRun
        ? ['grader/suites/**/*.test.ts']
        : ['native/test/**/*.test.ts', 'lessons/**/*.test.ts', 'grader/test/**/*.test.ts'],
    pool: 'forks',
    // Two test files at a time (vitest's default on 2 cores is one): the corpus
    // check spends most of its time in sandboxes starting up and in waits, and
    // the rest of npm test fits beside it.
    maxWorkers: 2,
    // it.concurrent tests (the corpus and hostile gradings) run three at a time:
    // most of their time is spent waiting out a buggy submission's hang, not on a core.
    maxConcurrency: 3,
    sequence: { sequencer: LongFirstSequencer },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['grader/harness/global-setup.ts'],
    env: { ...waitEnvironment, IPC_SUBMISSION_DIR: submission },
  },
});
