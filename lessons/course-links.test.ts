// The course's shape, checked on every `npm test`: each lesson stays within its
// line budget, each lesson leads to an exercise, each exercise is linked from
// its own lesson, and each exercise README links back to that lesson. Links are
// compared as files (resolved paths), so `./x.md` and `x.md#part` both count.
// Conventions: lessons/README.md.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRelativeLink, parseLesson } from './tools/code-blocks.ts';
import { course, lessonNames, lessonsDir, root } from './tools/course-files.ts';

// 330, not 300, since every lesson ends with a Review of questions and folded
// answers (about 30 lines); a lesson past this is split, never squeezed.
const MAX_LESSON_LINES = 330;
/** The files a markdown file links to, as absolute paths, each with the line of its link. */
function linkedFiles(file: string): Map<string, number> {
  const links = parseLesson(readFileSync(file, 'utf8')).links.filter(({ href }) =>
    isRelativeLink(href),
  );
  const targets = new Map<string, number>();
  for (const { href, line } of links) {
    const target = path.resolve(path.dirname(file), decodeURI(href.split('#')[0].split('?')[0]));
    if (!targets.has(target)) targets.set(target, line);
  }
  return targets;
}

const readmeOf = (id: string) => path.join(root, 'exercises', id, 'README.md');
const exerciseReadmes = new Map(
  course.exercises.map((exercise) => [readmeOf(exercise.id), exercise.id]),
);

describe('lessons and exercises', () => {
  it(`every lesson is at most ${MAX_LESSON_LINES} lines`, () => {
    const over = lessonNames
      .map((name) => ({
        name,
        lines: readFileSync(path.join(lessonsDir, name), 'utf8').replace(/\n$/, '').split('\n')
          .length,
      }))
      .filter(({ lines }) => lines > MAX_LESSON_LINES)
      .map(
        ({ name, lines }) =>
          `lessons/${name}: ${lines} lines (move a long program to lessons/listings/, or cut repetition)`,
      );
    expect(over, `lessons over ${MAX_LESSON_LINES} lines`).toEqual([]);
  });

  it('every lesson links to the README of at least one exercise in exercises/course.json', () => {
    const missing = lessonNames
      .filter(
        (name) =>
          ![...linkedFiles(path.join(lessonsDir, name)).keys()].some((target) =>
            exerciseReadmes.has(target),
          ),
      )
      .map(
        (name) =>
          `lessons/${name} links to no exercise README (add e.g. a "Practice" section linking ../exercises/ID/README.md)`,
      );
    expect(missing, 'lessons without an exercise').toEqual([]);
  });

  it('every exercise in exercises/course.json is linked from its lesson, and its README links back', () => {
    const problems: string[] = [];
    for (const { id, lesson } of course.exercises) {
      const lessonFile = path.join(root, lesson);
      const readme = readmeOf(id);
      if (!existsSync(lessonFile)) {
        problems.push(`exercise ${id}: its lesson ${lesson} (course.json) does not exist`);
      } else if (!linkedFiles(lessonFile).has(readme)) {
        problems.push(
          `${lesson} does not link to its exercise: add a link to ../exercises/${id}/README.md`,
        );
      }
      if (!existsSync(readme)) {
        problems.push(`exercise ${id}: exercises/${id}/README.md does not exist`);
      } else if (!linkedFiles(readme).has(lessonFile)) {
        problems.push(
          `exercises/${id}/README.md does not link back to its lesson: add a link to ../../${lesson}`,
        );
      }
    }
    expect(problems, 'missing links between lessons and exercises').toEqual([]);
  });
});
