// --format junit: JUnit XML for CI test panels. <testsuites> holds one
// <testsuite> per exercise, one <testcase> per hidden test: a failed test has
// <failure>, a timeout or a crash <error>, a skipped one <skipped/>. An
// exercise that could not be graded is one <testcase name="grading"> with
// <error>; so is a grading that could not finish, in a suite named "grader".
// Points go in <properties>, which JUnit readers keep but do not interpret.
// The shape is Ant's, as its schema says (grader/test/schemas/JUnit.xsd):
// <testsuites> has no attributes; each <testsuite> has id, package, hostname
// and timestamp, and holds <properties>, its testcases, <system-out> and
// <system-err>, in that order.
import { hostname as osHostname } from 'node:os';
import type { ExerciseReport, GradeReport, TestReport } from '../report.ts';
import {
  capText,
  ignoredNote,
  oneLineName,
  provenanceLine,
  sandboxSummary,
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

/** Where and when the grading ran: the schema requires both on every testsuite. */
export interface JunitRun {
  /** When grading started; the schema's dateTime has no fraction and no zone (UTC here). */
  startedAt: Date;
  hostname: string;
}

interface SuiteParts {
  name: string;
  counts: Counts;
  ms: number;
  properties: string;
  cases: string[];
  /** Escaped already; '' for none. */
  systemOut: string;
  systemErr: string;
}

function suiteElement(id: number, run: JunitRun, suite: SuiteParts): string {
  const counts = suite.counts;
  const timestamp = run.startedAt.toISOString().slice(0, 19);
  const open = `  <testsuite id="${id}" package="ipc-course" name="${escapeAttribute(suite.name)}" timestamp="${timestamp}" hostname="${escapeAttribute(run.hostname || 'localhost')}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(suite.ms)}">`;
  const systemOut = suite.systemOut
    ? `    <system-out>${suite.systemOut}</system-out>`
    : '    <system-out/>';
  const systemErr = suite.systemErr
    ? `    <system-err>${suite.systemErr}</system-err>`
    : '    <system-err/>';
  return [open, suite.properties, ...suite.cases, systemOut, systemErr, '  </testsuite>'].join(
    '\n',
  );
}

function suiteParts(exercise: ExerciseReport, sandbox: string, provenance: string): SuiteParts {
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
  const properties = `    <properties>\n      <property name="score" value="${exercise.score}"/>\n      <property name="maxScore" value="${exercise.maxScore}"/>\n      <property name="sandbox" value="${escapeAttribute(sandbox)}"/>\n${provenance}    </properties>`;
  const systemErr =
    exercise.error && exercise.tests.length > 0 ? escapeText(capText(exercise.error)) : '';
  // Tests the submission registered, which score nothing, are named for the reader.
  const systemOut = escapeText(ignoredNote(exercise));
  return { name: exercise.id, counts, ms, properties, cases, systemOut, systemErr };
}

/** The run as the report implies it: started durationMs before now, on this host. */
function thisRun(report: GradeReport): JunitRun {
  return { startedAt: new Date(Date.now() - report.durationMs), hostname: osHostname() };
}

export function formatJunit(report: GradeReport, run: JunitRun = thisRun(report)): string {
  const sandbox = sandboxSummary(report);
  const line = provenanceLine(report);
  const provenance = line
    ? `      <property name="provenance" value="${escapeAttribute(line, 1000)}"/>\n`
    : '';
  const suites = report.exercises.map((exercise) => suiteParts(exercise, sandbox, provenance));
  // The total only (an assignment's "score" visibility): one suite with no test, its points and provenance.
  if (suites.length === 0 && !report.graderError)
    suites.push({
      name: 'total',
      counts: { tests: 0, failures: 0, errors: 0, skipped: 0 },
      ms: report.durationMs,
      properties: `    <properties>\n      <property name="score" value="${report.score}"/>\n      <property name="maxScore" value="${report.maxScore}"/>\n${provenance}    </properties>`,
      cases: [],
      systemOut: '',
      systemErr: '',
    });
  if (report.graderError) {
    suites.unshift({
      name: 'grader',
      counts: { tests: 1, failures: 0, errors: 1, skipped: 0 },
      ms: 0,
      properties: '    <properties/>',
      cases: [gradingError('grader', report.graderError)],
      systemOut: '',
      systemErr: '',
    });
  }
  const body = suites.map((suite, id) => suiteElement(id, run, suite)).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${body}\n</testsuites>\n`;
}
