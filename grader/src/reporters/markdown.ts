// --format markdown: a summary for a GitHub Actions step summary or a pull
// request comment. A table per exercise, then each failing test folded in a
// <details> with an excerpt of its message and the command that replays it.
// Whatever a submission printed lands inside a code fence longer than any run
// of backticks in it, and table cells have markup escaped, so a submission
// cannot change the page's layout.
import type { ExerciseReport, GradeReport, TestReport } from '../report.ts';
import {
  capText,
  ignoredNote,
  provenanceLine,
  safeText,
  sandboxSummary,
  showControls,
  splitAtTrace,
  statusLabel,
} from './feedback-text.ts';
import { fenced } from './fence.ts';

const EXCERPT_LINES = 30;
const EXCERPT_CHARS = 1500;
const MARK: Record<TestReport['status'], string> = {
  passed: '✅',
  failed: '❌',
  timeout: '⏱️',
  crashed: '💥',
  skipped: '➖',
};

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** One line of inline text: markup characters escaped, line breaks folded. */
function inline(text: string): string {
  return escapeHtml(safeText(text, 300).replace(/\s+/g, ' ')).replace(/[\\`*_[\]|#~]/g, '\\$&');
}

function excerpt(text: string): string {
  const lines = showControls(capText(text, EXCERPT_CHARS)).split('\n');
  return lines.length > EXCERPT_LINES
    ? [...lines.slice(0, EXCERPT_LINES), `… (${lines.length - EXCERPT_LINES} more lines)`].join(
        '\n',
      )
    : lines.join('\n');
}

function failureDetails(test: TestReport): string {
  const parts = [
    `<details><summary>${MARK[test.status]} ${escapeHtml(safeText(test.name, 300))} (${statusLabel(test)})</summary>`,
    '',
  ];
  // Free text cut at the end with a note; a controlled run's table whole, in its own block.
  const { before, trace, after } = splitAtTrace(test);
  parts.push(fenced(excerpt(before)));
  if (trace) parts.push('', fenced(trace));
  if (after) parts.push('', fenced(excerpt(after)));
  if (test.replay)
    parts.push('', 'Replay it:', '', fenced(showControls(capText(test.replay, 500)), 'sh'));
  parts.push('', '</details>');
  return parts.join('\n');
}

function exerciseSection(exercise: ExerciseReport): string {
  const out = [
    `### ${inline(exercise.id)} ${inline(exercise.title)}: ${exercise.score}/${exercise.maxScore}`,
    '',
  ];
  if (exercise.error)
    out.push('Could not grade everything:', '', fenced(excerpt(exercise.error)), '');
  const ignored = ignoredNote(exercise);
  if (ignored) out.push(`**Note:** ${inline(ignored)}`, '');
  if (exercise.tests.length > 0) {
    out.push('| | test | points |', '|---|---|---:|');
    for (const test of exercise.tests)
      out.push(`| ${MARK[test.status]} | ${inline(test.name)} | ${test.score}/${test.maxScore} |`);
    out.push('');
  }
  for (const test of exercise.tests.filter((t) => t.status !== 'passed' && t.status !== 'skipped'))
    out.push(failureDetails(test), '');
  return out.join('\n');
}

export function formatMarkdown(report: GradeReport): string {
  const out = [`## ipc-course grade: ${report.score}/${report.maxScore}`, ''];
  if (report.graderError) out.push('**Not graded.**', '', fenced(excerpt(report.graderError)), '');
  out.push(
    `Seed ${report.seed} (the same seed replays every race check), ${(report.durationMs / 1000).toFixed(1)} s.`,
    '',
    inline(sandboxSummary(report)),
    '',
  );
  const provenance = provenanceLine(report);
  if (provenance) out.push(inline(provenance), '');
  for (const exercise of report.exercises) out.push(exerciseSection(exercise));
  return `${out.join('\n').trimEnd()}\n`;
}
