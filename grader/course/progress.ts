// Where a learner stands on each exercise, from files and the cache alone (no
// test runs): "not started" while every file they write is still the starter,
// "passed" / "failing" from the last visible-test run of the same files, and
// "unchecked" when the files changed since (status.ts then runs the tests).
//
// Why starter hashes and not `// TODO:` markers or git: a learner may keep a
// TODO comment, and a student copy (npm run course -- release) has no git. The
// hashes of the pristine starters are generated into starter-hashes.json
// (npm run course -- starters), and a test keeps that file current.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exercise } from '../src/registry.ts';
import type { Course } from './course-root.ts';
import type { CourseState } from './state.ts';

export type Progress = 'passed' | 'failing' | 'not started' | 'unchecked';

const hashesFile = new URL('./starter-hashes.json', import.meta.url);

/** A file's text hashed with line endings made uniform, so a Windows checkout still counts as pristine. */
export function textHash(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

/** "id/file" → hash of the pristine starter. */
export function loadStarterHashes(): Record<string, string> {
  return JSON.parse(readFileSync(hashesFile, 'utf8')) as Record<string, string>;
}

export function isPristine(
  course: Course,
  exercise: Exercise,
  starters = loadStarterHashes(),
): boolean {
  return exercise.files.every((file) => {
    const path = join(course.exercisesDir, exercise.id, file);
    return (
      existsSync(path) &&
      starters[`${exercise.id}/${file}`] === textHash(readFileSync(path, 'utf8'))
    );
  });
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .flatMap((entry) =>
      entry.isDirectory()
        ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

/**
 * One hash of everything the visible tests run: the learner's files, the tests
 * and their helpers. A cached result holds only while nothing in it changed.
 */
export function folderHash(course: Course, exercise: Exercise): string {
  const dir = join(course.exercisesDir, exercise.id);
  const hash = createHash('sha256');
  for (const file of filesUnder(dir))
    hash.update(`${file}\0${textHash(readFileSync(join(dir, file), 'utf8'))}\0`);
  return hash.digest('hex');
}

export function knownProgress(
  course: Course,
  exercise: Exercise,
  state: CourseState,
  starters = loadStarterHashes(),
): Progress {
  if (isPristine(course, exercise, starters)) return 'not started';
  const cached = state.results[exercise.id];
  if (!cached || cached.hash !== folderHash(course, exercise)) return 'unchecked';
  return cached.passed ? 'passed' : 'failing';
}

/** The first exercise, in course order, not known to pass. */
export function nextExercise(
  course: Course,
  progress: Map<string, Progress>,
): Exercise | undefined {
  return course.exercises.find((exercise) => progress.get(exercise.id) !== 'passed');
}

/** Maintainers: the hashes of every starter in a course (written by `npm run course -- starters`). */
export function computeStarterHashes(course: Course): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const exercise of course.exercises) {
    for (const file of exercise.files) {
      const path = join(course.exercisesDir, exercise.id, file);
      if (existsSync(path)) hashes[`${exercise.id}/${file}`] = textHash(readFileSync(path, 'utf8'));
    }
  }
  return hashes;
}

/** Maintainers, after changing a starter: rewrites starter-hashes.json; returns how many files it lists. */
export function writeStarterHashes(course: Course): number {
  const hashes = computeStarterHashes(course);
  writeFileSync(hashesFile, `${JSON.stringify(hashes, null, 2)}\n`);
  return Object.keys(hashes).length;
}
