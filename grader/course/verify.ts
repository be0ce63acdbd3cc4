// npm run course -- verify [ID]: the visible tests of one exercise, one line
// per test, and the first lines of each failure: enough to act on, short
// enough to read. The full output is one command away (npm test -- exercises/ID).
// The race check (race.test.ts, a controlled-schedule scenario under fixed
// seeds) runs with them; its failure is printed whole, interleaving and all.
import { RACE_CHECK_SEEDS, RACE_CHECK_SUFFIX } from '../harness/schedule/race-check-settings.ts';
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

function firstLines(text: string, limit = FAILURE_LINES): string {
  const lines = text.replace(ANSI, '').trimEnd().split('\n');
  const shown = lines.slice(0, limit).map((line) => `      ${line}`);
  if (lines.length > limit) shown.push(paint('dim', `      … ${lines.length - limit} more lines`));
  return shown.join('\n');
}

const isRaceCheck = (name: string) => name.endsWith(RACE_CHECK_SUFFIX);

export function printOutcome(exercise: Exercise, outcome: VisibleOutcome): void {
  for (const row of outcome.rows) {
    const time = row.durationMs === null ? '' : paint('dim', ` (${Math.round(row.durationMs)} ms)`);
    if (row.state === 'passed') console.log(`  ${mark.passed()} ${row.name}${time}`);
    else if (row.state === 'skipped')
      console.log(`  ${mark.notStarted()} ${row.name} ${paint('dim', '(skipped)')}`);
    else {
      // A race check's failure is its interleaving: shown whole, the rows that matter are at the end.
      const limit = isRaceCheck(row.name) ? Infinity : FAILURE_LINES;
      console.log(
        `  ${mark.failed()} ${row.name}${time}${row.error ? `\n${paint('red', firstLines(row.error, limit))}` : ''}`,
      );
    }
  }
  for (const problem of outcome.problems)
    console.log(`  ${mark.failed()} ${paint('red', firstLines(problem).trimStart())}`);
  const passed = outcome.rows.filter((row) => row.state === 'passed').length;
  const race = outcome.rows.some((row) => isRaceCheck(row.name))
    ? `, the race check included (seeds ${RACE_CHECK_SEEDS.join(', ')})`
    : '';
  if (outcome.passed) {
    console.log(paint('green', `\n${exercise.id}: all ${passed} visible tests pass${race}.`));
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
