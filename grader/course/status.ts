// npm run course -- status: every exercise in course order with where the
// learner stands, and the one to do next. Only exercises whose files changed
// since their last run are tested again, so a second status is instant.
import type { Course } from './course-root.ts';
import { knownProgress, loadStarterHashes, nextExercise, type Progress } from './progress.ts';
import { loadState } from './state.ts';
import { mark, paint } from './style.ts';
import { runVisibleTests } from './visible-run.ts';

/** Progress of every exercise, running the visible tests of those that changed since their last run. */
export async function checkProgress(
  course: Course,
  onRun: (id: string) => void = () => {},
): Promise<Map<string, Progress>> {
  const starters = loadStarterHashes();
  const progress = new Map<string, Progress>();
  for (const exercise of course.exercises) {
    let known = knownProgress(course, exercise, loadState(course.root), starters);
    if (known === 'unchecked') {
      onRun(exercise.id);
      known = (await runVisibleTests(course, exercise)).passed ? 'passed' : 'failing';
    }
    progress.set(exercise.id, known);
  }
  return progress;
}

function describe(progress: Progress, id: string, course: Course): string {
  const result = loadState(course.root).results[id];
  if (progress === 'passed') return `${mark.passed()} ${paint('green', 'passed')}`;
  if (progress === 'failing')
    return `${mark.failed()} ${paint('red', `failing${result ? ` (${result.passedTests} of ${result.totalTests} tests pass)` : ''}`)}`;
  if (progress === 'unchecked')
    return `${mark.unchecked()} ${paint('yellow', 'changed, not checked yet')}`;
  return `${mark.notStarted()} ${paint('gray', 'not started')}`;
}

export async function status(course: Course): Promise<void> {
  const progress = await checkProgress(course, (id) =>
    console.log(paint('dim', `checking ${id} (its files changed since the last run)…`)),
  );
  const done = [...progress.values()].filter((p) => p === 'passed').length;
  console.log(
    paint(
      'bold',
      `\nProgress: ${done} of ${course.exercises.length} exercises pass their visible tests\n`,
    ),
  );
  const idWidth = Math.max(...course.exercises.map((e) => e.id.length));
  const titleWidth = Math.max(...course.exercises.map((e) => e.title.length));
  for (const exercise of course.exercises) {
    console.log(
      `  ${exercise.id.padEnd(idWidth)}  ${exercise.title.padEnd(titleWidth)}  ${describe(progress.get(exercise.id)!, exercise.id, course)}`,
    );
  }
  const next = nextExercise(course, progress);
  if (!next) {
    console.log(
      paint('green', '\nEvery exercise passes. Grade them all: npm run grade -- exercises'),
    );
    return;
  }
  console.log(`\nNext: ${paint('bold', next.id)}  ${next.title}`);
  console.log(`  read   ${next.lesson} (npm run course shows the lessons in your browser)`);
  console.log(
    `  task   exercises/${next.id}/README.md; write ${next.files.map((f) => `exercises/${next.id}/${f}`).join(', ')}`,
  );
  console.log(`  check  npm run course -- verify ${next.id}   (or: npm run course -- watch)`);
}
