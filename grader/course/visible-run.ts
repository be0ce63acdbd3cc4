// Runs one exercise's visible tests against the learner's files, the way the
// grader does (stageVisible + runInSandbox: a private copy, a process group
// with time and memory limits), and remembers the verdict for `status`.
import { childPids, killGroup } from '../src/processes.ts';
import type { Exercise } from '../src/registry.ts';
import type { ResultRow } from '../src/run-vitest.ts';
import { runInSandbox } from '../src/sandbox.ts';
import { stageVisible } from '../src/submission.ts';
import type { Course } from './course-root.ts';
import { folderHash } from './progress.ts';
import { updateState } from './state.ts';

/** Longer than any visible test file needs (each test has its own 30 s limit). */
const WALL_TIME_MS = 180_000;

export interface VisibleOutcome {
  rows: ResultRow[];
  /** What went wrong outside the tests: an import error, a crash, a hang, a time-out. */
  problems: string[];
  passed: boolean;
}

export async function runVisibleTests(course: Course, exercise: Exercise): Promise<VisibleOutcome> {
  const hash = folderHash(course, exercise); // before the run: the files may change while it runs
  const staged = stageVisible(exercise, course.exercisesDir, course.exercisesDir);
  let outcome: VisibleOutcome;
  try {
    const include = [`${exercise.id}/**/*.test.ts`];
    const run = await runInSandbox(
      {
        exerciseId: exercise.id,
        submissionDir: staged.dir,
        seed: 1,
        visible: { root: staged.dir, include },
      },
      WALL_TIME_MS,
    );
    const problems = [...run.errors];
    if (run.hung)
      problems.push(
        `${run.hung.phase === 'import' ? 'loading your file' : `"${run.hung.name}"`} never returned (killed after ${run.hung.afterMs / 1000} s): an endless loop that never waits?`,
      );
    if (run.timedOut) problems.push(`the tests did not finish within ${WALL_TIME_MS / 1000} s`);
    if (run.crashed)
      problems.push(
        `the test process crashed. Its last output:\n${run.outputTail.split('\n').slice(-8).join('\n')}`,
      );
    const reported = new Set(run.rows.map((row) => row.name));
    const rows: ResultRow[] = [
      ...run.rows,
      ...run.tests
        .filter((name) => !reported.has(name))
        .map((name) => ({
          name,
          state: 'failed' as const,
          error: 'did not run to the end',
          durationMs: null,
        })),
    ];
    const passed =
      rows.length > 0 &&
      problems.length === 0 &&
      rows.every((row) => row.state === 'passed' || row.state === 'skipped');
    outcome = { rows, problems, passed };
  } finally {
    staged.remove();
  }
  const passedTests = outcome.rows.filter((row) => row.state === 'passed').length;
  updateState(course.root, (state) => {
    state.results[exercise.id] = {
      hash,
      passed: outcome.passed,
      passedTests,
      totalTests: outcome.rows.length,
      at: new Date().toISOString(),
    };
  });
  return outcome;
}

/**
 * Ends the sandboxes this process started (each is a process group of its own,
 * so a Ctrl-C at the terminal does not reach them) before the command exits.
 */
export function stopSandboxes(): void {
  for (const pid of childPids()) killGroup(pid);
}
