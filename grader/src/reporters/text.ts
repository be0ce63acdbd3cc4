// The default output: a readable table per exercise and test, with points.
import { stripVTControlCharacters, styleText } from 'node:util';
import type { GradeReport, TestReport } from '../report.ts';
import {
  ignoredNote,
  provenanceLine,
  sandboxSummary,
  splitAtTrace,
  terminalName,
  terminalText,
} from './feedback-text.ts';

type Style = Parameters<typeof styleText>[0];

/** Lines of a failure's free text shown here; the json format has all of it. */
const MESSAGE_LINES = 12;

function firstLines(text: string, count: number): string {
  const lines = text.split('\n');
  if (lines.length <= count) return text;
  return [
    ...lines.slice(0, count),
    `… (${lines.length - count} more lines: --format json has them all)`,
  ].join('\n');
}

const MARK: Record<TestReport['status'], string> = {
  passed: '✓',
  failed: '✗',
  timeout: '⏱',
  crashed: '✗',
  skipped: '-',
};

export function formatText(
  report: GradeReport,
  colour = process.stdout.isTTY === true && !process.env.NO_COLOR,
): string {
  const paint = (style: Style, text: string) => (colour ? styleText(style, text) : text);
  const width = 78;
  const line = (left: string, right: string) =>
    `${left}${' '.repeat(Math.max(1, width - stripVTControlCharacters(left).length - right.length))}${right}`;
  const out: string[] = [];
  if (report.graderError)
    out.push(paint('red', `Not graded: ${terminalText(report.graderError)}`), '');
  for (const exercise of report.exercises) {
    out.push(
      paint(
        'bold',
        line(
          `${terminalName(exercise.id)}  ${terminalName(exercise.title)}`,
          `${exercise.score}/${exercise.maxScore}`,
        ),
      ),
    );
    if (exercise.error)
      out.push(paint('red', `  ${terminalText(exercise.error).split('\n').join('\n  ')}`));
    const ignored = ignoredNote(exercise, terminalName);
    if (ignored) out.push(paint('red', `  ${terminalText(ignored)}`));
    for (const test of exercise.tests) {
      const colourOf: Style =
        test.status === 'passed' ? 'green' : test.status === 'skipped' ? 'gray' : 'red';
      const label = test.status === 'passed' || test.status === 'failed' ? '' : ` (${test.status})`;
      out.push(
        line(
          `  ${paint(colourOf, MARK[test.status])} ${terminalName(test.name)}${label}`,
          `${test.score}/${test.maxScore}`,
        ),
      );
      if (test.message) {
        // Free text is cut at the end with a note; a controlled run's table never is.
        const { before, trace, after } = splitAtTrace(test);
        const indent = (text: string) =>
          text
            .split('\n')
            .map((l) => `      ${l}`)
            .join('\n');
        out.push(paint('gray', indent(firstLines(terminalText(before), MESSAGE_LINES))));
        // For a terminal: escape sequences removed whole, as in every text here; never capped.
        if (trace) out.push(indent(terminalText(test.trace!, Number.POSITIVE_INFINITY)));
        if (after) out.push(paint('gray', indent(firstLines(terminalText(after), MESSAGE_LINES))));
      }
      if (test.replay) out.push(`      replay: ${terminalText(test.replay, 500)}`);
    }
    out.push('');
  }
  out.push(
    paint('bold', `Total: ${report.score}/${report.maxScore}`) +
      `   (seed ${report.seed}, ${(report.durationMs / 1000).toFixed(1)} s)`,
    paint('gray', terminalText(sandboxSummary(report))),
  );
  const provenance = provenanceLine(report);
  if (provenance) out.push(paint('gray', terminalText(provenance)));
  return `${out.join('\n')}\n`;
}
