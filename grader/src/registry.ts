// The course's exercises in order, from exercises/course.json (the only list).
import type { HintClass } from './hint-match.ts';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export interface Exercise {
  id: string;
  title: string;
  lesson: string;
  /** The files a learner writes, relative to exercises/<id>/. */
  files: string[];
  /**
   * Files the course gives, relative to exercises/<id>/ (their one source): the
   * learner's code imports them; grading always uses the course's copy.
   */
  given?: string[];
}

/** The course's copy of an exercise's given file. */
export function givenFile(id: string, file: string, root = repoRoot): string {
  return join(root, 'exercises', id, file);
}

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function loadExercises(root = repoRoot): Exercise[] {
  const course = JSON.parse(readFileSync(join(root, 'exercises', 'course.json'), 'utf8')) as {
    exercises: Exercise[];
  };
  return course.exercises;
}

export function hiddenSuiteDir(id: string, root = repoRoot): string {
  return join(root, 'grader', 'suites', id);
}

export function hasHiddenSuite(id: string, root = repoRoot): boolean {
  return existsSync(hiddenSuiteDir(id, root));
}

/** Points per test name from the suite's points.json; a test not listed is worth 1. */
export function loadPoints(id: string, root = repoRoot): Record<string, number> {
  const file = join(hiddenSuiteDir(id, root), 'points.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) : {};
}

export interface Hint {
  /** A test name, or "*" for any test (then `class` is required). */
  test: string;
  /** Given only for a failure of this class (hint-match.ts); without it, for any failure of the test. */
  class?: HintClass;
  hint: string;
}

/** Hints for known bug classes, kept beside the hidden suite (hints.json). */
export function loadHints(id: string, root = repoRoot): Hint[] {
  const file = join(hiddenSuiteDir(id, root), 'hints.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Hint[]) : [];
}
