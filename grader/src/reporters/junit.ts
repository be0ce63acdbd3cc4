// --format junit: JUnit XML for CI test panels. <testsuites> holds one
// <testsuite> per exercise, one <testcase> per hidden test: a failed test has
// <failure>, a timeout or a crash <error>, a skipped one <skipped/>. An
// exercise that could not be graded is one <testcase name="grading"> with
// <error>; so is a grading that could not finish, in a suite named "grader".
// Points go in <properties>, which JUnit readers keep but do not interpret.
import type { ExerciseReport, GradeReport, TestReport } from '../report.ts';
import {
  capText,
  ignoredNote,
  oneLineName,
  showControls,
  statusLabel,
  testFeedback,
} from './feedback-text.ts';

/** Text content: showControls leaves only XML 1.0 characters; these three are markup. */
function escapeText(text: string): string {
  return showControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also keep their quotes, and their line breaks as references (a parser would fold them to spaces). */
function escapeAttribute(text: string, max = 500): string {
  return escapeText(text.length > max ? `${text.slice(0, max)}…` : text)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

const seconds = (ms: number | null) => ((ms ?? 0) / 1000).toFixed(3);

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function testcase(suite: string, name: string, ms: number | null, body: string): string {
  const open = `    <testcase classname="${escapeAttribute(suite)}" name="${escapeAttribute(name)}" time="${seconds(ms)}"`;
  return body ? `${open}>\n${body}\n    </testcase>` : `${open}/>`;
}

function outcome(test: TestReport): string {
  if (test.status === 'passed') return '';
  if (test.status === 'skipped') return '      <skipped/>';
  const element = test.status === 'failed' ? 'failure' : 'error';
  const firstLine = (test.message || statusLabel(test)).split('\n')[0];
  return `      <${element} type="${test.status}" message="${escapeAttribute(firstLine, 200)}">${escapeText(testFeedback(test))}</${element}>`;
}

function gradingError(suite: string, why: string): string {
  return testcase(
    suite,
    'grading',
    null,
    `      <error type="not-graded" message="${escapeAttribute(why.split('\n')[0], 200)}">${escapeText(capText(why))}</error>`,
  );
}

function suiteXml(exercise: ExerciseReport): { xml: string; counts: Counts; ms: number } {
  const cases = exercise.tests.map((t) =>
    testcase(exercise.id, oneLineName(t.name), t.durationMs, outcome(t)),
  );
  const counts: Counts = {
    tests: exercise.tests.length,
    failures: exercise.tests.filter((t) => t.status === 'failed').length,
    errors: exercise.tests.filter((t) => t.status === 'timeout' || t.status === 'crashed').length,
    skipped: exercise.tests.filter((t) => t.status === 'skipped').length,
  };
  if (exercise.tests.length === 0) {
    cases.push(gradingError(exercise.id, exercise.error ?? 'no tests ran'));
    counts.tests = counts.errors = 1;
  }
  const ms = exercise.tests.reduce((total, t) => total + (t.durationMs ?? 0), 0);
  const properties = `    <properties>\n      <property name="score" value="${exercise.score}"/>\n      <property name="maxScore" value="${exercise.maxScore}"/>\n    </properties>`;
  const systemErr =
    exercise.error && exercise.tests.length > 0
      ? `\n    <system-err>${escapeText(capText(exercise.error))}</system-err>`
      : '';
  const ignored = ignoredNote(exercise);
  const systemOut = ignored ? `\n    <system-out>${escapeText(ignored)}</system-out>` : '';
  const open = `  <testsuite name="${escapeAttribute(exercise.id)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(ms)}">`;
  return {
    xml: `${open}\n${properties}\n${cases.join('\n')}${systemOut}${systemErr}\n  </testsuite>`,
    counts,
    ms,
  };
}

export function formatJunit(report: GradeReport): string {
  const suites = report.exercises.map(suiteXml);
  if (report.graderError) {
    const xml = `  <testsuite name="grader" tests="1" failures="0" errors="1" skipped="0" time="0.000">\n${gradingError('grader', report.graderError)}\n  </testsuite>`;
    suites.unshift({ xml, counts: { tests: 1, failures: 0, errors: 1, skipped: 0 }, ms: 0 });
  }
  const total = (key: keyof Counts) => suites.reduce((n, s) => n + s.counts[key], 0);
  const open = `<testsuites name="ipc-course" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}" skipped="${total('skipped')}" time="${seconds(report.durationMs)}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${open}\n${suites.map((s) => s.xml).join('\n')}\n</testsuites>\n`;
}
