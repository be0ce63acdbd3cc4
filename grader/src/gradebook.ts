// A class's results from a batch, as pure functions of its rows: the gradebook
// (one row per submission, one column per exercise, the total, and where the
// grade came from: course version, assignment and its hash) and the test
// summary (how many graded submissions passed each hidden test).
import type { GradeReport } from './report.ts';
import { showControls } from './reporters/feedback-text.ts';

export interface BatchRow {
  /** The submission folder's name inside the batch folder. */
  name: string;
  /** Absent when the folder could not be graded. */
  report?: GradeReport;
  /** Why there is no report (not a submission, the grader failed). */
  note?: string;
}

export interface TestSummary {
  exercise: string;
  test: string;
  maxScore: number;
  passed: number;
  graded: number;
}

/**
 * Quoted when needed; control characters shown as \xNN; a text cell a
 * spreadsheet would run as a formula gets a leading ' (CSV injection).
 */
function csvCell(value: string | number): string {
  let text = showControls(String(value));
  if (typeof value === 'string' && /^[=+\-@\t\r\n]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csv = (lines: (string | number)[][]) =>
  lines.map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 300);

function noteOf(row: BatchRow): string {
  if (!row.report) return oneLine(row.note ?? 'not graded');
  const notes = row.report.exercises.flatMap((e) => [
    ...(e.error ? [`${e.id}: ${e.error.split('\n')[0]}`] : []),
    ...(e.ignored
      ? [`${e.id}: ignored ${e.ignored.length} test(s) the submission registered`]
      : []),
  ]);
  return oneLine(notes.join('; '));
}

/** What every row records of where its grade came from, also for a row that was not graded. */
export interface Provenance {
  course: string;
  assignment?: { name: string; hash: string };
}

export function gradebookCsv(
  rows: BatchRow[],
  exerciseIds: string[],
  batch: Provenance = { course: '' },
): string {
  const header = [
    'submission',
    ...exerciseIds,
    'total',
    'max',
    'seed',
    'course',
    'assignment',
    'assignment_sha256',
    'note',
  ];
  const origin = (report?: GradeReport) => {
    const assignment = report ? report.assignment : batch.assignment;
    return [report?.course ?? batch.course, assignment?.name ?? '', assignment?.hash ?? ''];
  };
  const lines = rows.map((row) => {
    const report = row.report;
    if (!report)
      return [row.name, ...exerciseIds.map(() => ''), '', '', '', ...origin(), noteOf(row)];
    const scoreOf = (id: string) => report.exercises.find((e) => e.id === id)?.score ?? '';
    return [
      row.name,
      ...exerciseIds.map(scoreOf),
      report.score,
      report.maxScore,
      report.seed,
      ...origin(report),
      noteOf(row),
    ];
  });
  return csv([header, ...lines]);
}

export function summarizeTests(rows: BatchRow[]): TestSummary[] {
  const graded = rows.filter((row) => row.report);
  const summaries = new Map<string, TestSummary>();
  for (const row of graded) {
    for (const exercise of row.report!.exercises) {
      for (const test of exercise.tests) {
        const key = `${exercise.id}\u0000${test.name}`;
        const summary = summaries.get(key) ?? {
          exercise: exercise.id,
          test: test.name,
          maxScore: test.maxScore,
          passed: 0,
          graded: graded.length,
        };
        if (test.status === 'passed') summary.passed++;
        summaries.set(key, summary);
      }
    }
  }
  return [...summaries.values()];
}

export function testSummaryCsv(summaries: TestSummary[]): string {
  return csv([
    ['exercise', 'test', 'points', 'passed', 'graded'],
    ...summaries.map((s) => [s.exercise, s.test, s.maxScore, s.passed, s.graded]),
  ]);
}

export function testSummaryText(summaries: TestSummary[]): string {
  if (summaries.length === 0) return 'No test ran: no submission could be graded.\n';
  const lines = summaries.map(
    (s) => `${`${s.passed}/${s.graded}`.padStart(7)}  ${s.exercise}  ${s.test}`,
  );
  return `${'passed'.padStart(7)}  exercise  test\n${lines.join('\n')}\n`;
}
