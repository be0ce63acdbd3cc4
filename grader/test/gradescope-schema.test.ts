// gradescope.json is what Gradescope reads (run_autograder copies it to
// /autograder/results/results.json): it must follow Gradescope's autograder
// specification field by field (schemas/gradescope-results.schema.json, checked
// by fixtures/json-schema.ts), and the rules the specification states that a
// schema cannot hold (semanticProblems below), for every shape a report takes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAutograder } from '../course/gradescope.ts';
import { loadAssignment, type Visibility } from '../src/assignment/assignment.ts';
import { pointsFor } from '../src/assignment/points.ts';
import { reportOfFailure } from '../src/failed-report.ts';
import { disqualify } from '../src/grade.ts';
import { type GradeReport, sum } from '../src/report.ts';
import { formats } from '../src/reporters/index.ts';
import { graded, twoExercises, writeAssignment } from './fixtures/assignments.ts';
import { type Schema, validate } from './fixtures/json-schema.ts';
import {
  crashedImportReport,
  failedReport,
  mixedReport,
  poisonedReport,
  tracedReport,
} from './fixtures/reports.ts';

const schema: Schema = JSON.parse(
  readFileSync(new URL('./schemas/gradescope-results.schema.json', import.meta.url), 'utf8'),
);
const scratch = mkdtempSync(join(tmpdir(), 'ipcc-gradescope-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Results {
  score?: number;
  execution_time?: number;
  output?: string;
  visibility?: string;
  tests?: { score?: number; max_score?: number; status?: string; visibility?: string }[];
}

const render = (report: GradeReport) => formats.gradescope.render(report);

/** Every finite-number problem in a parsed document: JSON has no NaN, and JSON.stringify writes it as null. */
function nulls(value: unknown, path = ''): string[] {
  if (value === null) return [`${path}: null (a NaN or an infinity, written by JSON.stringify)`];
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => nulls(child, `${path}/${key}`));
}

/**
 * The specification's rules a schema cannot state, and what the course adds:
 * - a score on top or on every test (the schema's anyOf checks this too);
 * - the top-level score overrides the tests' total, so it must be that total,
 *   or students read one score and add up another;
 * - the tests' maximums add up to the report's maximum (the course's);
 * - status overrides passing by score: "passed" only with full points, and
 *   "failed" only with fewer, or with a test worth nothing (0/0 would pass);
 * - tests a student cannot see hide the total from them ("If test cases are
 *   hidden, students will not be able to see their total score"): the
 *   top-level output, always visible, then states it;
 * - execution_time in whole seconds, as the example gives it.
 */
function semanticProblems(results: Results, report: GradeReport): string[] {
  const problems = nulls(results);
  const tests = results.tests ?? [];
  if (results.score === undefined && tests.some((t) => t.score === undefined))
    problems.push('no top-level score, and a test without one');
  const total = sum(tests, (t) => t.score ?? 0);
  if (results.score !== undefined && Math.abs(results.score - total) > 0.005)
    problems.push(`top-level score ${results.score} but the tests add up to ${total}`);
  const expected = report.graderError ? 0 : report.score;
  if (results.score !== expected) problems.push(`score ${results.score}, the report's ${expected}`);
  const max = sum(tests, (t) => t.max_score ?? 0);
  if (tests.length > 0 && Math.abs(max - report.maxScore) > 0.005)
    problems.push(
      `the tests' maximums add up to ${max}, the report's maximum is ${report.maxScore}`,
    );
  tests.forEach((test, i) => {
    const at = `/tests/${i}`;
    if (typeof test.score !== 'number' || typeof test.max_score !== 'number') {
      problems.push(`${at}: score and max_score must both be given`);
      return;
    }
    if (test.score < 0 || test.score > test.max_score)
      problems.push(`${at}: score ${test.score} outside 0..${test.max_score}`);
    if (test.status === 'passed' && test.score !== test.max_score)
      problems.push(`${at}: passed with ${test.score}/${test.max_score}`);
    if (test.status === 'failed' && test.max_score > 0 && test.score >= test.max_score)
      problems.push(`${at}: failed with full points ${test.score}/${test.max_score}`);
  });
  const unseen = tests.some((t) => (t.visibility ?? results.visibility ?? 'visible') !== 'visible');
  if (unseen && !results.output?.includes(`Total: ${expected}/${report.maxScore}`))
    problems.push('some tests are not visible, and the output does not state the total');
  if (results.execution_time !== undefined && !Number.isInteger(results.execution_time))
    problems.push(`execution_time ${results.execution_time} is not whole seconds`);
  return problems;
}

/** The schema's complaints and the rules', for one rendered report. */
function check(report: GradeReport): string[] {
  const text = render(report);
  const results = JSON.parse(text) as Results;
  return [...validate(schema, results), ...semanticProblems(results, report)];
}

/** mixedReport with only its passing tests: full points. */
const allPassed: GradeReport = (() => {
  const exercise = mixedReport.exercises[0];
  const tests = exercise.tests.filter((t) => t.status === 'passed');
  const score = sum(tests, (t) => t.score);
  return {
    ...mixedReport,
    score,
    maxScore: score,
    exercises: [{ ...exercise, tests, score, maxScore: score }],
  };
})();

/** mixedReport's first exercise after the grader's files changed during its run (grade.ts). */
const tampered: GradeReport = (() => {
  const exercise = disqualify(
    mixedReport.exercises[0],
    "tampering: the grader's files changed during the run (grader/src/score.ts); this exercise scores 0",
  );
  return { ...mixedReport, score: 0, exercises: [exercise, mixedReport.exercises[1]] };
})();

/** An exercise whose hidden suite crashed on import (no test reported), beside mixedReport's. */
const crashed = crashedImportReport;

const FUTURE = '2999-01-01T00:00:00Z';
const VISIBILITIES: [Visibility, string?][] = [
  [{ level: 'full', when: 'at-once' }],
  [{ level: 'names', when: 'at-once' }],
  [{ level: 'score', when: 'at-once' }],
  [{ level: 'full', when: 'after-due-date' }, FUTURE],
  [{ level: 'full', when: 'after-due-date' }],
  [{ level: 'names', when: 'after-due-date' }, FUTURE],
  [{ level: 'score', when: 'after-due-date' }, FUTURE],
];

describe('gradescope.json against the Gradescope specification', () => {
  const shapes: [string, GradeReport][] = [
    ['every test status, an exercise not submitted, hostile text', mixedReport],
    ['all passed', allPassed],
    ["a controlled run's failure with its trace", tracedReport],
    ['poisoned names, messages and paths', poisonedReport],
    ['a tampering zero', tampered],
    ['an exercise whose suite crashed on import', crashed],
    ['a grading that could not finish', failedReport],
  ];
  for (const [name, report] of shapes)
    it(`validates: ${name}`, () => {
      expect(check(report)).toEqual([]);
    });

  it('validates when the hidden suites are missing (the report of a failed grading)', () => {
    const report = reportOfFailure('/subs/dave', new Error('ENOENT: grader/suites/04-mutex'), {
      exercises: ['04-mutex'],
      seed: 3,
    });
    expect(report.exercises).toHaveLength(1);
    expect(check(report)).toEqual([]);
    // An exercise with no hidden suite is unknown to the grader: the report then lists none.
    const unknown = reportOfFailure('/subs/dave', new Error('unknown exercise'), {
      exercises: ['99-no-suite'],
    });
    expect(unknown.exercises).toEqual([]);
    expect(JSON.parse(render(unknown)).tests).toEqual([]);
    expect(check(unknown)).toEqual([]);
  });

  for (const [visibility, due] of VISIBILITIES)
    it(`validates for an assignment shown ${visibility.level}, ${visibility.when}${due ? ' (before the due date)' : ''}`, () => {
      const assignment = twoExercises(scratch, visibility, due);
      for (const report of [mixedReport, crashed, failedReport, tampered])
        expect(check(graded(report, assignment))).toEqual([]);
    });

  it('keeps every number finite with the largest points an assignment file may give', () => {
    // Above them (1e400 reads as Infinity) the file is refused (assignment.test.ts):
    // shares of Infinity are Infinity and NaN, which JSON.stringify writes as null.
    const assignment = loadAssignment(
      writeAssignment(scratch, 'largest.json', {
        title: 'Largest',
        exercises: {
          '04-mutex': {
            points: 1_000_000,
            tests: { 'tryLock never blocks and never takes a held lock': 1_000_000 },
          },
        },
      }),
    );
    const points = pointsFor('04-mutex', assignment);
    const tests = Object.entries(points).map(([name, maxScore]) => ({
      name,
      score: maxScore,
      maxScore,
      status: 'passed' as const,
      message: '',
      replay: null,
      durationMs: 1,
    }));
    const score = sum(tests, (t) => t.score);
    const report = graded(
      {
        ...mixedReport,
        score,
        maxScore: score,
        exercises: [{ id: '04-mutex', title: 'A futex mutex', score, maxScore: score, tests }],
      },
      assignment,
    );
    expect(score).toBe(1_000_000);
    expect(check(report)).toEqual([]);
  });

  it("validates run_autograder's own results when the grader was killed", () => {
    const script = runAutograder('');
    const echoed = /echo '(\{"score".*\})' > \/autograder\/results\/results\.json/.exec(script);
    expect(echoed, 'the fallback results line').not.toBeNull();
    const results = JSON.parse(echoed![1].replace(`'$status'`, '137'));
    expect(validate(schema, results)).toEqual([]);
    expect(results.score).toBe(0);
  });
});

describe('the check can fail', () => {
  const good = () => JSON.parse(render(mixedReport));

  it('refuses a misspelled field, a value the specification does not list, a wrong type', () => {
    const results = good();
    results.tests[0].max_points = results.tests[0].max_score;
    delete results.tests[0].max_score;
    results.tests[1].visibility = 'after_due';
    results.tests[2].status = 'skipped';
    results.tests[3].tags = '04-mutex';
    results.stdout_visibility = 'never';
    results.output_format = 'markdown';
    expect(validate(schema, results)).toEqual([
      '/output_format: "markdown" is not one of ["text","simple_format","html","md","ansi"]',
      '/stdout_visibility: "never" is not one of ["hidden","after_due_date","after_published","visible"]',
      '/tests/0: "max_points" is not a field it may have',
      '/tests/1/visibility: "after_due" is not one of ["hidden","after_due_date","after_published","visible"]',
      '/tests/2/status: "skipped" is not one of ["passed","failed"]',
      '/tests/3/tags: "04-mutex" is string, not array',
    ]);
  });

  it('refuses a document with no score at all, and a NaN written as null', () => {
    const results = good();
    delete results.score;
    delete results.tests[0].score;
    results.tests[1].max_score = Number.NaN;
    const problems = validate(schema, JSON.parse(JSON.stringify(results)));
    expect(problems).toContain('/tests/1/max_score: null is null, not number');
    expect(problems.some((p) => p.startsWith(': matches none of anyOf'))).toBe(true);
    expect(validate(schema, results)).toContain(
      '/tests/1/max_score: NaN is non-finite number, not number',
    );
  });

  it('refuses, by the rules, a total that is not the tests’ and statuses that contradict the points', () => {
    const results = good();
    results.score = 12;
    results.tests[0].status = 'failed';
    results.tests[1].status = 'passed';
    expect(validate(schema, results), 'the schema alone lets it through').toEqual([]);
    expect(semanticProblems(results, mixedReport)).toEqual([
      'top-level score 12 but the tests add up to 3',
      "score 12, the report's 3",
      '/tests/0: failed with full points 2/2',
      '/tests/1: passed with 0/4',
    ]);
  });

  it('refuses hidden tests when the output does not state the total', () => {
    const assignment = twoExercises(scratch, { level: 'score', when: 'at-once' });
    const report = graded(mixedReport, assignment);
    const results = JSON.parse(render(report));
    results.output = 'Graded.';
    expect(semanticProblems(results, report)).toEqual([
      'some tests are not visible, and the output does not state the total',
    ]);
  });
});
