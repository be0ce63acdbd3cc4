// Where the learner's course is: the nearest folder, walking up from where the
// command was typed, that holds exercises/course.json. `npm run` starts scripts
// in the package root but keeps the learner's folder in INIT_CWD, so that is
// where the walk starts. The grader's own code (harness, shim) always comes
// from this checkout; the exercises, hints and state come from the course root.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Exercise } from '../src/registry.ts';

/** A mistake in how a course command was called: exit code 2, message for the learner. */
export class CourseUsageError extends Error {}

export interface Course {
  root: string;
  /** The course's name, from course.json. */
  title: string;
  exercisesDir: string;
  exercises: Exercise[];
}

export function findCourseRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'exercises', 'course.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

export function openCourse(start = process.env.INIT_CWD ?? process.cwd()): Course {
  const root = findCourseRoot(start);
  if (!root) {
    throw new CourseUsageError(
      `no course here: ${resolve(start)} is not inside a copy of ipc-course (no exercises/course.json in it or above it).\n` +
        'Run the command from the course folder (the one with README.md and exercises/), e.g. cd ipc-course && npm run course -- status',
    );
  }
  const exercisesDir = join(root, 'exercises');
  const { title, exercises } = JSON.parse(
    readFileSync(join(exercisesDir, 'course.json'), 'utf8'),
  ) as { title?: string; exercises: Exercise[] };
  return { root, title: title ?? 'ipc-course', exercisesDir, exercises };
}

/** The exercise with this id, or a usage error that lists every id. */
export function findExercise(course: Course, id: string): Exercise {
  const exercise = course.exercises.find((e) => e.id === id);
  if (exercise) return exercise;
  const ids = course.exercises.map((e) => `  ${e.id}  ${e.title}`).join('\n');
  throw new CourseUsageError(`no exercise "${id}". The exercises, in course order:\n${ids}`);
}
