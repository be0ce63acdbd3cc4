// An assignment's visibility, in every format, from hand-built reports (no
// grading): full shows the failure messages; names keeps every message,
// trace and replay command out of every format; score keeps even the test
// names out (Gradescope: hidden tests); after-due-date shows the total only
// until the due date. Each report records the course version and the hash.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Assignment } from '../src/assignment/assignment.ts';
import { courseVersion } from '../src/provenance.ts';
import { formats } from '../src/reporters/index.ts';
import { graded, twoExercises } from './fixtures/assignments.ts';
import { crashedImportReport } from './fixtures/reports.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ipcc-visibility-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** mixedReport, with an exercise whose import failed (its error is a message too). */
const report = crashedImportReport;

/** Text only a failure's message, trace or replay command holds. */
const MESSAGES = [
  'two holders at step 17',
  'the test process ended',
  'xxxxxxxxxxxxxxxxxxxx',
  'npm run grade -- /subs/alice',
  'Unexpected token at condvar.ts',
];
const NAMES = ['never lets two holders in at once', 'wakes a blocked waiter'];
const FUTURE = '2999-01-01T00:00:00Z';

const renderAll = (assignment: Assignment) =>
  Object.entries(formats).map(([name, format]) => [
    name,
    format.render(graded(report, assignment)),
  ]);

function gradescopeTests(assignment: Assignment) {
  return JSON.parse(formats.gradescope.render(graded(report, assignment))).tests as {
    name: string;
    output?: string;
    visibility: string;
  }[];
}

describe('visibility: full', () => {
  it('shows the names and the messages in every format', () => {
    for (const [name, text] of renderAll(
      twoExercises(scratch, { level: 'full', when: 'at-once' }),
    )) {
      expect(text, name).toContain(NAMES[0]);
      expect(text, name).toContain(MESSAGES[0]);
    }
  });
});

describe('visibility: names', () => {
  const assignment = twoExercises(scratch, { level: 'names', when: 'at-once' });

  it('keeps every failure message, trace and replay command out of every format', () => {
    for (const [name, text] of renderAll(assignment)) {
      for (const message of MESSAGES) expect(text, `${name}: ${message}`).not.toContain(message);
      expect(text, name).toContain(NAMES[0]);
      expect(text, `${name}: a missing folder still says so`).toContain('not submitted');
    }
  });

  it('gives Gradescope tests without output, visible at once', () => {
    const tests = gradescopeTests(assignment);
    expect(tests.length).toBeGreaterThan(0);
    for (const test of tests) {
      expect(test).not.toHaveProperty('output');
      expect(test.visibility).toBe('visible');
    }
  });
});

describe('visibility: score', () => {
  const assignment = twoExercises(scratch, { level: 'score', when: 'at-once' });

  it('keeps the test names out of every format but Gradescope, which hides its tests', () => {
    for (const [name, text] of renderAll(assignment)) {
      for (const message of MESSAGES) expect(text, `${name}: ${message}`).not.toContain(message);
      if (name !== 'gradescope')
        for (const test of NAMES) expect(text, `${name}: ${test}`).not.toContain(test);
    }
    expect(JSON.parse(formats.json.render(graded(report, assignment)))).toMatchObject({
      score: 3,
      maxScore: 12,
      exercises: [],
    });
    expect(
      formats.autolab.render(graded(report, assignment)).trimEnd().split('\n').at(-1),
      'Autolab still gets a score per exercise',
    ).toBe('{"scores":{"04-mutex":3,"05-semaphore":0,"06-condition-variable":0}}');
    const tests = gradescopeTests(assignment);
    expect(tests.map((t) => t.visibility)).toEqual(tests.map(() => 'hidden'));
    for (const test of tests) expect(test).not.toHaveProperty('output');
  });

  it('still writes a junit.xml that validates, with the total', {
    skip: spawnSync('xmllint', ['--version']).error !== undefined,
  }, () => {
    const xml = formats.junit.render(graded(report, assignment));
    expect(xml).toMatch(/<testsuite [^>]*name="total"/);
    expect(xml).toContain('<property name="score" value="3"/>');
    const file = join(scratch, 'junit.xml');
    writeFileSync(file, xml);
    const schema = fileURLToPath(new URL('./schemas/JUnit.xsd', import.meta.url));
    const lint = spawnSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
    expect(lint.status, lint.stderr).toBe(0);
  });
});

describe('visibility: after the due date', () => {
  it('shows the total only until the due date, then the level', () => {
    const before = twoExercises(scratch, { level: 'full', when: 'after-due-date' }, FUTURE);
    // Gradescope holds the tests back itself (the next test).
    for (const [name, text] of renderAll(before).filter(([name]) => name !== 'gradescope')) {
      for (const message of MESSAGES) expect(text, `${name}: ${message}`).not.toContain(message);
      for (const test of NAMES) expect(text, `${name}: ${test}`).not.toContain(test);
    }
    expect(formats.text.render(graded(report, before))).toContain(
      `shown after the due date (${FUTURE})`,
    );
    const after = twoExercises(scratch, { level: 'full', when: 'after-due-date' });
    for (const [name, text] of renderAll(after).filter(([name]) => name !== 'gradescope'))
      expect(text, name).toContain(MESSAGES[0]);
  });

  it("leaves the timing to Gradescope's after_due_date, with nothing in the summary it shows at once", () => {
    const assignment = twoExercises(scratch, { level: 'full', when: 'after-due-date' }, FUTURE);
    const results = JSON.parse(formats.gradescope.render(graded(report, assignment)));
    expect(results.tests.map((t: { visibility: string }) => t.visibility)).toEqual(
      results.tests.map(() => 'after_due_date'),
    );
    const exclusion = results.tests.find((t: { name: string }) => t.name.endsWith(NAMES[0]));
    expect(exclusion.output, 'full: the output, for after the due date').toContain(MESSAGES[0]);
    for (const message of MESSAGES) expect(results.output).not.toContain(message);
    expect(results.output).toMatch(/Total: 3\/12/);
  });
});

describe('provenance', () => {
  it('records the course version and the assignment hash in every format', () => {
    const assignment = twoExercises(scratch, { level: 'names', when: 'at-once' });
    expect(courseVersion()).toMatch(/^(commit [0-9a-f]{40}(-modified)?|package \S+)$/);
    for (const [name, text] of renderAll(assignment)) {
      expect(text, name).toContain(assignment.hash);
      expect(text, name).toContain(courseVersion());
    }
    expect(JSON.parse(formats.json.render(graded(report, assignment)))).toMatchObject({
      course: courseVersion(),
      assignment: { name: assignment.name, hash: assignment.hash },
    });
  });
});
