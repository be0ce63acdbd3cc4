// npm run course -- hint ID: hints unfold one at a time (rustlings' model). The
// hints are the `## Hint N` sections of exercises/ID/hints.md; how many the
// learner has seen is kept in the state file, so each run shows one more.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exercise } from '../src/registry.ts';
import type { Course } from './course-root.ts';
import { loadState, updateState } from './state.ts';
import { paint } from './style.ts';

/** The body of each `## Hint N` section, in order. */
export function parseHints(markdown: string): string[] {
  return markdown
    .split(/^## Hint \d+[^\n]*\n/m)
    .slice(1) // what comes before the first hint is the file's introduction
    .map((section) => section.split(/^## /m)[0].trim());
}

export function readHints(course: Course, exercise: Exercise): string[] {
  const file = join(course.exercisesDir, exercise.id, 'hints.md');
  return existsSync(file) ? parseHints(readFileSync(file, 'utf8')) : [];
}

export function hint(course: Course, exercise: Exercise, reset: boolean): void {
  if (reset) {
    updateState(course.root, (state) => delete state.hintsShown[exercise.id]);
    console.log(
      `Hints for ${exercise.id} start over: the next \`npm run course -- hint ${exercise.id}\` shows hint 1.`,
    );
    return;
  }
  const hints = readHints(course, exercise);
  if (hints.length === 0) {
    console.log(`${exercise.id} has no hints yet. Its task: exercises/${exercise.id}/README.md`);
    return;
  }
  const seen = loadState(course.root).hintsShown[exercise.id] ?? 0;
  const number = Math.min(seen + 1, hints.length);
  updateState(course.root, (state) => (state.hintsShown[exercise.id] = number));
  console.log(paint('bold', `${exercise.id}: hint ${number} of ${hints.length}`));
  console.log(`\n${hints[number - 1]}\n`);
  if (number < hints.length)
    console.log(paint('dim', `Still stuck? Run it again for hint ${number + 1}.`));
  else
    console.log(
      paint(
        'dim',
        `That was the last hint. \`npm run course -- hint ${exercise.id} --reset\` starts over.`,
      ),
    );
}
