// --format autolab: the feedback Autolab shows (the text report), then the
// autoresult Autolab reads from the last line of the autograder's output:
// {"scores": {"04-mutex": 14, ...}}, one key per exercise. Autolab's problem
// names must be the exercise ids. The autoresult is always the last line, and
// no line above it can be taken for it, since it is the only line of the file
// that starts with {"scores". The feedback shows what the assignment lets
// students see; the scores are always every exercise's, as Autolab needs them.
import type { GradeReport } from '../report.ts';
import { shownReport } from '../visibility.ts';
import { formatText } from './text.ts';

export function formatAutolab(report: GradeReport): string {
  const scores = Object.fromEntries(
    report.exercises.map((e) => [e.id, report.graderError ? 0 : e.score]),
  );
  const feedback = formatText(shownReport(report), false).replace(/^\{"scores"/gm, ' {"scores"');
  return `${feedback}${JSON.stringify({ scores })}\n`;
}
