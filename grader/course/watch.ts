// npm run course -- watch [ID]: rustlings' loop. Runs the current exercise's
// visible tests, then again each time one of its files is saved, and moves on
// to the next unfinished exercise once they pass. Keys: h hint, r run, q quit.
import { watch as watchFolder, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Exercise } from '../src/registry.ts';
import { findExercise, type Course } from './course-root.ts';
import { hint } from './hints.ts';
import { knownProgress, loadStarterHashes } from './progress.ts';
import { loadState } from './state.ts';
import { paint } from './style.ts';
import { currentExercise, printOutcome } from './verify.ts';
import { runVisibleTests, stopSandboxes } from './visible-run.ts';

/** Editors save in bursts (write, rename, chmod): one run per burst. */
const DEBOUNCE_MS = 300;

/** The first unfinished exercise after `current` in course order, then from the start. */
function exerciseAfter(course: Course, current: Exercise): Exercise | undefined {
  const state = loadState(course.root);
  const starters = loadStarterHashes();
  const at = course.exercises.indexOf(current);
  const inOrder = [...course.exercises.slice(at + 1), ...course.exercises.slice(0, at)];
  return inOrder.find((exercise) => knownProgress(course, exercise, state, starters) !== 'passed');
}

export function watch(course: Course, id: string | undefined): Promise<void> {
  let exercise = id === undefined ? currentExercise(course) : findExercise(course, id);
  if (!exercise) {
    console.log(paint('green', 'Every exercise passes its visible tests. Well done!'));
    return Promise.resolve();
  }
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let running = false;
  let runAgain = false; // a save arrived during a run: run once more after it
  let finish: () => void = () => {};

  const waitingLine = () =>
    console.log(
      paint(
        'dim',
        `\nWatching ${exercise!.files.map((f) => `exercises/${exercise!.id}/${f}`).join(', ')}: save to run the tests. Keys: h hint, r run, q quit.`,
      ),
    );

  const follow = (next: Exercise) => {
    exercise = next;
    watcher?.close();
    // The folder, not the files: editors that save by renaming replace the file the watch was on.
    watcher = watchFolder(join(course.exercisesDir, next.id), (_event, filename) => {
      if (filename && !next.files.includes(String(filename))) return;
      clearTimeout(debounce);
      debounce = setTimeout(run, DEBOUNCE_MS);
    });
  };

  const run = async () => {
    if (running) return void (runAgain = true);
    running = true;
    if (process.stdout.isTTY) console.clear();
    const current = exercise!;
    console.log(
      `${paint('bold', `${current.id}: ${current.title}`)} ${paint('dim', `(visible tests, ${new Date().toLocaleTimeString()})`)}`,
    );
    const outcome = await runVisibleTests(course, current);
    printOutcome(current, outcome);
    running = false;
    if (runAgain) {
      runAgain = false;
      return void run();
    }
    if (outcome.passed) {
      const next = exerciseAfter(course, current);
      if (!next)
        return void (console.log(
          paint('green', '\nEvery exercise passes its visible tests. Well done!'),
        ),
        finish());
      follow(next);
      console.log(paint('bold', `\nNext: ${next.id}  ${next.title}`));
      console.log(`  read ${next.lesson}, then exercises/${next.id}/README.md`);
    }
    waitingLine();
  };

  return new Promise((resolve) => {
    finish = () => {
      watcher?.close();
      clearTimeout(debounce);
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      process.stdin.pause();
      stopSandboxes();
      resolve();
    };
    process.once('SIGINT', finish);
    if (process.stdin.isTTY) {
      process.stdin.setRawMode(true);
      process.stdin.setEncoding('utf8').on('data', (key: string) => {
        if (key === 'q' || key === '\u0003')
          finish(); // raw mode turns Ctrl-C into a key
        else if (key === 'h') hint(course, exercise!, false);
        else if (key === 'r') void run();
      });
    }
    follow(exercise!);
    void run();
  });
}
