// Assignment files: what a valid one yields (exercises, points shared out by the
// tests' weights, a hash of the file and its suites), one clear error naming the
// line for each kind of mistake, the two shipped examples, and the commands.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { listAssignments } from '../course/assignments.ts';
import { AssignmentError, loadAssignment } from '../src/assignment/assignment.ts';
import { pointsFor } from '../src/assignment/points.ts';
import { hasHiddenSuite, loadExercises, loadPoints, repoRoot } from '../src/registry.ts';
import { sum } from '../src/report.ts';
import { writeAssignment } from './fixtures/assignments.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ipcc-assignment-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const EXCLUSION = 'never lets two holders in at once (4 workers + 2 processes)';

function errorOf(text: string, name = 'bad.json'): string {
  try {
    loadAssignment(writeAssignment(scratch, name, text));
  } catch (error) {
    expect(error).toBeInstanceOf(AssignmentError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('an assignment file', () => {
  it('names its exercises, shares their points by the weights, and records a hash', () => {
    const file = writeAssignment(scratch, 'week-3.json', {
      title: 'Week 3',
      due: '2027-03-05T23:59:00Z',
      visibility: { level: 'names', when: 'after-due-date' },
      lessons: ['04-mutex'],
      exercises: { '04-mutex': { points: 20, tests: { [EXCLUSION]: 10 } }, '05-semaphore': {} },
    });
    const assignment = loadAssignment(file);
    expect(assignment).toMatchObject({
      name: 'week-3',
      title: 'Week 3',
      visibility: { level: 'names', when: 'after-due-date' },
      lessons: ['04-mutex'],
    });
    expect(assignment.exercises.map((e) => e.id)).toEqual(['04-mutex', '05-semaphore']);
    const mutex = pointsFor('04-mutex', assignment);
    expect(Object.keys(mutex)).toEqual(Object.keys(loadPoints('04-mutex')));
    const total = (points: Record<string, number>) => sum(Object.values(points), (p) => p);
    expect(total(mutex), 'the tests add up to the exercise, to the cent').toBe(20);
    for (const name of Object.keys(mutex))
      expect(mutex[name] * 100).toBeCloseTo(Math.round(mutex[name] * 100), 6);
    const others = total(loadPoints('04-mutex')) - loadPoints('04-mutex')[EXCLUSION];
    expect(mutex[EXCLUSION], 'the override weighs 10 of the exercise').toBeCloseTo(
      (20 * 10) / (others + 10),
      1,
    );
    expect(pointsFor('05-semaphore', assignment), 'no points: the suite’s own').toEqual(
      loadPoints('05-semaphore'),
    );
    expect(pointsFor('04-mutex'), 'without an assignment: points.json').toEqual(
      loadPoints('04-mutex'),
    );
    expect(assignment.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(loadAssignment(file).hash, 'the same file and suites: the same hash').toBe(
      assignment.hash,
    );
    const changed = writeAssignment(scratch, 'week-3b.json', {
      ...JSON.parse(readFileSync(file, 'utf8')),
      exercises: { '04-mutex': { points: 21 }, '05-semaphore': {} },
    });
    expect(loadAssignment(changed).hash).not.toBe(assignment.hash);
  });

  it('gets one clear error naming the line for each kind of mistake', () => {
    const cases: [string, RegExp][] = [
      [
        '{\n  "title": "x",\n  "exercises": {\n    "04-mutex": {},\n    "04-mutx": {}\n  }\n}\n',
        /^\S*bad\.json line 5: unknown exercise "04-mutx"; the exercises: 03-spinlock, 04-mutex,/,
      ],
      [
        '{\n  "title": "x",\n  "exercises": {\n    "04-mutex": {\n      "tests": { "no such test": 2 }\n    }\n  }\n}\n',
        /line 5: exercise "04-mutex" has no hidden test "no such test"; its tests: "follows the contract/,
      ],
      [
        '{\n  "title": "x",\n  "colour": "blue",\n  "exercises": { "04-mutex": {} }\n}\n',
        /line 3: unknown field "colour"; the fields are title, due, visibility, lessons, exercises/,
      ],
      [
        '{\n  "title": "x",\n  "exercises": { "04-mutex": { "point": 3 } }\n}\n',
        /line 3: unknown field "point" in exercise "04-mutex"; the fields are points, tests/,
      ],
      [
        '{\n  "title": "x",\n  "visibility": {\n    "level": "secret"\n  },\n  "exercises": { "04-mutex": {} }\n}\n',
        /line 4: "visibility.level" must be one of full, names, score, got "secret"/,
      ],
      [
        '{\n  "title": "x",\n  "visibility": { "level": "full", "when": "after-due-date" },\n  "exercises": { "04-mutex": {} }\n}\n',
        /line 3: "after-due-date" needs a "due" date/,
      ],
      [
        '{\n  "title": "x",\n  "due": "Friday",\n  "exercises": { "04-mutex": {} }\n}\n',
        /line 3: "due" must be a date and time with its zone/,
      ],
      [
        '{\n  "title": "x",\n  "lessons": ["04-mutex", "99-magic"],\n  "exercises": { "04-mutex": {} }\n}\n',
        /line 3: unknown lesson "99-magic"/,
      ],
      [
        '{\n  "title": "x",\n  "exercises": {\n    "04-mutex": { "points": -1 }\n  }\n}\n',
        /line 4: "points" of "04-mutex" must be a number above 0/,
      ],
      [
        // JSON reads 1e400 as Infinity: its shares would reach the result files as null.
        '{\n  "title": "x",\n  "exercises": {\n    "04-mutex": { "points": 1e400 }\n  }\n}\n',
        /line 4: "points" of "04-mutex" must be a number above 0 and at most 1000000/,
      ],
      [
        '{\n  "title": "x",\n  "exercises": {\n    "04-mutex": {\n      "tests": { "tryLock never blocks and never takes a held lock": 1e400 }\n    }\n  }\n}\n',
        /line 5: the weight of "tryLock never blocks and never takes a held lock" must be a number of at least 0 and at most 1000000/,
      ],
      [
        '{\n  "title": "x",\n  "exercises": {}\n}\n',
        /line 3: "exercises" must name at least one exercise/,
      ],
      [
        '{\n  "title": "x",\n  "exercises": {\n    "04-mutex": {},\n  }\n}\n',
        /line 5: not JSON: expected a string in double quotes, found "}"/,
      ],
      [
        '{\n  "title": "x",\n  "exercises": {\n    "04-mutex": { "tests": { "a\\q": 1 } }\n  }\n}\n',
        /line 4: not JSON: a string with a bad escape or a raw tab in it/,
      ],
      [
        '{\n  "title": "x",\n  "title": "y",\n  "exercises": { "04-mutex": {} }\n}\n',
        /line 3: not JSON: "title" appears twice/,
      ],
    ];
    for (const [text, expected] of cases) {
      const message = errorOf(text);
      expect(message, text).toMatch(expected);
      expect(message.split('\n'), 'one line').toHaveLength(1);
    }
    expect(errorOf('{}', 'week 3.json')).toMatch(/name an assignment file with letters/);
  });
});

describe('the example assignments', () => {
  const examples = ['first-half', 'second-half'].map((name) =>
    loadAssignment(join(repoRoot, 'assignments', `${name}.json`)),
  );

  it('cover every graded exercise once between them, in two halves of the course', () => {
    const graded = loadExercises()
      .filter((e) => hasHiddenSuite(e.id))
      .map((e) => e.id);
    const [first, second] = examples.map((a) => a.exercises.map((e) => e.id));
    expect([...first, ...second]).toEqual(graded);
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    for (const assignment of examples)
      expect(assignment.exercises.reduce((sum, e) => sum + e.points, 0)).toBe(100);
  });
});

describe('listing the assignments', () => {
  it('prints each good file and the error of a bad one, and counts the bad ones', () => {
    const dir = join(scratch, 'listing');
    writeAssignment(dir, 'good.json', { title: 'Good', exercises: { '04-mutex': { points: 5 } } });
    writeAssignment(dir, 'typo.json', '{\n  "title": "x",\n  "exercise": {}\n}\n');
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(listAssignments(dir)).toBe(1);
      expect(out.mock.calls.join('\n')).toMatch(
        /good\.json: Good\n {2}due \(no date\); students see names, messages, traces\n {2}04-mutex +5 points/,
      );
      expect(err.mock.calls.join('\n')).toMatch(/typo\.json line 3: unknown field "exercise"/);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});

describe('the commands', () => {
  const tsx = join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
  const run = (script: string, args: string[]) =>
    spawnSync(process.execPath, [tsx, join(repoRoot, script), ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('npm run course -- assignments lists each assignment with its exercises and points', {
    timeout: 60_000,
  }, () => {
    const result = run('grader/course/cli.ts', ['assignments']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^assignments\/first-half\.json: First half/m);
    expect(result.stdout).toMatch(/^ {2}04-mutex +12 points {2}A futex mutex$/m);
    expect(result.stdout).toMatch(/^ {2}22-request-reply +20 points/m);
    expect(result.stdout).toMatch(/^ {2}total +100 points$/m);
  });

  it('npm run grade -- --assignment refuses a bad file with exit 2 and the line, before grading', {
    timeout: 60_000,
  }, () => {
    const bad = writeAssignment(
      scratch,
      'typo.json',
      '{\n  "title": "x",\n  "exercises": { "4-mutex": {} }\n}\n',
    );
    const result = run('grader/cli.ts', ['solutions', '--assignment', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/typo\.json line 3: unknown exercise "4-mutex"/);
    const both = run('grader/cli.ts', ['solutions', '--assignment', bad, '--exercise', '04-mutex']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--assignment chooses the exercises: drop --exercise/);
  });
});
