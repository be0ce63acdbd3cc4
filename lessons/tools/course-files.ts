// What the lesson checks read: the lessons folder, its lesson files, and the
// exercises of exercises/course.json (each with the lesson it belongs to).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const lessonsDir = fileURLToPath(new URL('..', import.meta.url));
export const root = path.resolve(lessonsDir, '..');

/** The lesson files (NN-topic.md) of lessons/, sorted. */
export const lessonNames = readdirSync(lessonsDir)
  .filter((file) => file.endsWith('.md') && file !== 'README.md')
  .sort();

export interface CourseExercise {
  id: string;
  lesson: string; // "lessons/04-mutex.md", from the repository root
}
export const course = JSON.parse(
  readFileSync(path.join(root, 'exercises/course.json'), 'utf8'),
) as { exercises: CourseExercise[] };
