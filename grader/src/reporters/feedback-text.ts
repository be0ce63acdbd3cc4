// Text that a submission may have produced (error messages, printed output),
// made fit for any result file: capped in length, and with every character a
// file format or a terminal cannot carry shown as a visible \xNN instead.
import type { GradeReport, TestReport } from '../report.ts';

/** Longest message kept for one test, in every format. */
export const MESSAGE_CAP = 6000; // room for a controlled run's trace table (harness/schedule/trace.ts)
/** Longest text kept for a whole submission's summary. */
export const SUMMARY_CAP = 8000;

export function capText(text: string, max = MESSAGE_CAP): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n… (${text.length - max} more characters)`;
}

/**
 * Control characters (but tab and newline), DEL and C1 controls become
 * `\xNN`; lone surrogates (a cap can cut a pair) and U+FFFE/U+FFFF become U+FFFD.
 * The result holds only characters XML 1.0, JSON and a terminal take as text.
 */
export function showControls(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(
      /[\x00-\x08\x0B-\x1F\x7F-\x9F]/g,
      (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    )
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[\uFFFE\uFFFF]/g, '\uFFFD');
}

export function safeText(text: string, max = MESSAGE_CAP): string {
  return showControls(capText(text, max));
}

const STATUS_LABEL: Record<TestReport['status'], string> = {
  passed: 'passed',
  failed: 'failed',
  timeout: 'timed out',
  crashed: 'crashed',
  skipped: 'skipped',
};

export function statusLabel(test: TestReport): string {
  return STATUS_LABEL[test.status];
}

/** What a learner reads about one test: what went wrong and how to replay it. */
export function testFeedback(test: TestReport): string {
  if (test.status === 'passed') return safeText(test.message);
  const lines = [safeText(test.message || statusLabel(test))];
  if (test.replay) lines.push(`replay: ${safeText(test.replay, 500)}`);
  return lines.join('\n');
}

/** The whole submission in a few lines: total, seed, and why anything could not be graded. */
/** One line: which confinement layers were in force (--sandbox), and which not and why. */
export function sandboxSummary(report: GradeReport): string {
  const sandbox = report.sandbox;
  if (!sandbox) return 'Sandbox: grading did not start';
  const off = sandbox.off.length > 0 ? `. Not in force: ${sandbox.off.join('; ')}` : '';
  return `Sandbox (${sandbox.mode}): ${sandbox.on.join('; ')}${off}`;
}

export function overallFeedback(report: GradeReport): string {
  const lines: string[] = [];
  if (report.graderError) lines.push(`Not graded: ${report.graderError}`);
  lines.push(
    `Total: ${report.score}/${report.maxScore} (seed ${report.seed}; the same seed replays every race check)`,
  );
  for (const exercise of report.exercises) {
    if (exercise.error && !report.graderError) lines.push(`${exercise.id}: ${exercise.error}`);
  }
  lines.push(sandboxSummary(report));
  return safeText(lines.join('\n'), SUMMARY_CAP);
}
