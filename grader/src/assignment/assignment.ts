// An assignment file (assignments/*.json): the exercises an instructor assigns,
// their points, and what students see of the hidden tests. Every mistake in the
// file is one AssignmentError naming the file, the line and the problem.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from '../registry.ts';
import { UsageError } from '../submission.ts';
import { checkExercises } from './exercises-field.ts';
import { assignmentHash } from './hash.ts';
import { type Fail, isObject, JsonSyntaxError, parseWithLines } from './json-lines.ts';

export const LEVELS = ['full', 'names', 'score'] as const;
export const WHENS = ['at-once', 'after-due-date'] as const;
export type VisibilityLevel = (typeof LEVELS)[number];

export interface Visibility {
  /** full: names, messages, traces; names: pass/fail per test; score: the total only. */
  level: VisibilityLevel;
  /** after-due-date: until `due`, students see the total only. */
  when: (typeof WHENS)[number];
}

export interface AssignedExercise {
  id: string;
  /** What the exercise is worth. */
  points: number;
  /** Relative weight of each hidden test (points.json, with the file's overrides). */
  weights: Record<string, number>;
}

export interface Assignment {
  /** The file's name without .json (week-3). */
  name: string;
  file: string;
  title: string;
  due?: string;
  visibility: Visibility;
  lessons: string[];
  exercises: AssignedExercise[];
  /** sha256 of the file and of every file of its exercises' hidden suites. */
  hash: string;
}

/** A mistake in an assignment file: exit code 2, with the file and line. */
export class AssignmentError extends UsageError {}

const FIELDS = ['title', 'due', 'visibility', 'lessons', 'exercises'];

export function lessonIds(root = repoRoot): string[] {
  return readdirSync(join(root, 'lessons'))
    .filter((f) => /^\d.*\.md$/.test(f))
    .map((f) => f.replace(/\.md$/, ''))
    .sort();
}

export function loadAssignment(file: string): Assignment {
  if (!existsSync(file)) throw new AssignmentError(`${file}: no such assignment file`);
  // The name goes into run_autograder's command line and every report: plain characters only.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/.test(basename(file)))
    throw new AssignmentError(
      `${file}: name an assignment file with letters, digits, ".", "_" and "-", ending in .json (week-3.json)`,
    );
  const text = readFileSync(file, 'utf8');
  let parsed: ReturnType<typeof parseWithLines>;
  try {
    parsed = parseWithLines(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new AssignmentError(`${file} line ${error.line}: not JSON: ${error.message}`);
  }
  const { value, lines } = parsed;
  const fail: Fail = (path, problem) => {
    throw new AssignmentError(`${file} line ${lines.get(path) ?? 1}: ${problem}`);
  };
  if (!isObject(value))
    return fail('', 'an assignment is a JSON object ({ "title": ..., "exercises": ... })');
  for (const key of Object.keys(value))
    if (!FIELDS.includes(key))
      fail(key, `unknown field "${key}"; the fields are ${FIELDS.join(', ')}`);

  if (typeof value.title !== 'string' || value.title.trim() === '')
    fail(value.title === undefined ? '' : 'title', '"title" must be a non-empty string');

  let due: string | undefined;
  if (value.due !== undefined) {
    if (
      typeof value.due !== 'string' ||
      !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(Z|[+-]\d\d:\d\d)$/.test(value.due) ||
      Number.isNaN(Date.parse(value.due))
    )
      fail(
        'due',
        `"due" must be a date and time with its zone, like "2027-03-05T23:59:00Z", got ${JSON.stringify(value.due)}`,
      );
    due = value.due as string;
  }

  const visibility: Visibility = { level: 'full', when: 'at-once' };
  if (value.visibility !== undefined) {
    const v = value.visibility;
    if (!isObject(v))
      return fail(
        'visibility',
        '"visibility" is an object: { "level": "names", "when": "after-due-date" }',
      );
    for (const key of Object.keys(v))
      if (key !== 'level' && key !== 'when')
        fail(`visibility/${key}`, `unknown field "visibility.${key}"; the fields are level, when`);
    if (!LEVELS.includes(v.level as VisibilityLevel))
      fail(
        v.level === undefined ? 'visibility' : 'visibility/level',
        `"visibility.level" must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(v.level)}`,
      );
    visibility.level = v.level as VisibilityLevel;
    if (v.when !== undefined) {
      if (!WHENS.includes(v.when as Visibility['when']))
        fail(
          'visibility/when',
          `"visibility.when" must be one of ${WHENS.join(', ')}, got ${JSON.stringify(v.when)}`,
        );
      visibility.when = v.when as Visibility['when'];
    }
    if (visibility.when === 'after-due-date' && due === undefined)
      fail('visibility/when', '"after-due-date" needs a "due" date');
  }

  const lessons: string[] = [];
  if (value.lessons !== undefined) {
    if (!Array.isArray(value.lessons))
      return fail('lessons', '"lessons" is a list of lesson names, like ["04-mutex"]');
    const known = lessonIds();
    value.lessons.forEach((lesson, index) => {
      if (typeof lesson !== 'string' || !known.includes(lesson))
        fail(
          `lessons/${index}`,
          `unknown lesson ${JSON.stringify(lesson)}; the lessons: ${known.join(', ')}`,
        );
      lessons.push(lesson as string);
    });
  }

  if (!isObject(value.exercises) || Object.keys(value.exercises).length === 0)
    return fail(
      value.exercises === undefined ? '' : 'exercises',
      '"exercises" must name at least one exercise: { "04-mutex": {}, ... }',
    );
  const exercises = checkExercises(value.exercises, fail);

  return {
    name: basename(file).replace(/\.json$/i, ''),
    file,
    title: value.title as string,
    ...(due === undefined ? {} : { due }),
    visibility,
    lessons,
    exercises,
    hash: assignmentHash(
      text,
      exercises.map((e) => e.id),
    ),
  };
}
