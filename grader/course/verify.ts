// npm run course -- verify [ID]: the visible tests of one exercise, one line
// per test, and the first lines of each failure: enough to act on, short
// enough to read. The full output is one command away (npm test -- exercises/ID).
import type { Exercise } from '../src/registry.ts';
import { findExercise, type Course } from './course-root.ts';
import { knownProgress, loadStarterHashes, nextExercise, type Progress } from './progress.ts';
import { loadState } from './state.ts';
import { mark, paint } from './style.ts';
import { runVisibleTests, type VisibleOutcome } from './visible-run.ts';

const FAILURE_LINES = 6;

/** The exercise to work on when none is named: the first not known to pass (from the cache; runs nothing). */
export function currentExercise(course: Course): Exercise | undefined {
  const state = loadState(course.root);
  const starters = loadStarterHashes();
  const progress = new Map<string, Progress>(
    course.exercises.map((e) => [e.id, knownProgress(course, e, state, starters)]),
  );
  return nextExercise(course, progress);
}

/** vitest colours its diffs; the terminal gets our colours, or none. */
const ANSI = /\x1b\[[0-9;]*m/g;

function firstLines(text: string): string {
  const lines = text.replace(ANSI, '').trimEnd().split('\n');
  const shown = lines.slice(0, FAILURE_LINES).map((line) => `      ${line}`);
  if (lines.length > FAILURE_LINES)
    shown.push(paint('dim', `      … ${lines.length - FAILURE_LINES} more lines`));
  return shown.join('\n');
}

export function printOutcome(exercise: Exercise, outcome: VisibleOutcome): void {
  for (const row of outcome.rows) {
    const time = row.durationMs === null ? '' : paint('dim', ` (${Math.round(row.durationMs)} ms)`);
    if (row.state === 'passed') console.log(`  ${mark.passed()} ${row.name}${time}`);
    else if (row.state === 'skipped')
      console.log(`  ${mark.notStarted()} ${row.name} ${paint('dim', '(skipped)')}`);
    else
      console.log(
        `  ${mark.failed()} ${row.name}${time}${row.error ? `\n${paint('red', firstLines(row.error))}` : ''}`,
      );
  }
  for (const problem of outcome.problems)
    console.log(`  ${mark.failed()} ${paint('red', firstLines(problem).trimStart())}`);
  const passed = outcome.rows.filter((row) => row.state === 'passed').length;
  if (outcome.passed) {
    console.log(paint('green', `\n${exercise.id}: all ${passed} visible tests pass.`));
    console.log(
      `Grade it with the hidden tests too: npm run grade -- exercises --exercise ${exercise.id}`,
    );
  } else {
    console.log(
      paint('red', `\n${exercise.id}: ${passed} of ${outcome.rows.length} visible tests pass.`),
    );
    console.log(
      `Stuck? npm run course -- hint ${exercise.id}   All the output: npm test -- exercises/${exercise.id}`,
    );
  }
}

/** Exit code: 0 when every visible test passes, 1 otherwise. */
export async function verify(course: Course, id: string | undefined): Promise<number> {
  const exercise = id === undefined ? currentExercise(course) : findExercise(course, id);
  if (!exercise) {
    console.log(paint('green', 'Every exercise passes its visible tests. Well done!'));
    return 0;
  }
  console.log(
    `${paint('bold', `${exercise.id}: ${exercise.title}`)} ${paint('dim', '(visible tests)')}`,
  );
  const outcome = await runVisibleTests(course, exercise);
  printOutcome(exercise, outcome);
  return outcome.passed ? 0 : 1;
}
