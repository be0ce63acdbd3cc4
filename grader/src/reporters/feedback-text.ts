// Text that a submission may have produced (error messages, printed output),
// made fit for any result file: capped in length, and with every character a
// file format or a terminal cannot carry shown as a visible \xNN instead.
import type { ExerciseReport, GradeReport, TestReport } from '../report.ts';

/** Longest message kept for one test, in every format. */
export const MESSAGE_CAP = 6000; // room for a controlled run's trace table (harness/schedule/trace.ts)
/** Longest text kept for a whole submission's summary. */
export const SUMMARY_CAP = 8000;

export function capText(text: string, max = MESSAGE_CAP): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n… (${text.length - max} more characters)`;
}

/**
 * Bidirectional overrides and isolates (they reorder what a reader sees, as in
 * "Trojan Source"), and the Unicode line and paragraph separators (a line break
 * to some readers, not to others): shown as \uNNNN, never passed on.
 */
const INVISIBLE_FORMATTING = /[\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/**
 * Terminal escape sequences, whole: CSI (colours, cursor moves, screen clears),
 * OSC (window titles, hyperlinks, clipboard writes), and the two-character
 * escapes. What is left of a broken one is shown by showControls.
 */
const TERMINAL_ESCAPE =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9d[^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]/g;

/** For a terminal: escape sequences removed, every other control shown as \xNN. */
export function terminalText(text: string, max = MESSAGE_CAP): string {
  return showControls(capText(text, max).replace(TERMINAL_ESCAPE, ''));
}

const oneLine = (text: string) => text.replace(/[\r\n\t\u2028\u2029]+/g, ' ');

/** A name on one line of any format: capped, line breaks and tabs folded to spaces, controls shown. */
export function oneLineName(text: string, max = 300): string {
  return showControls(oneLine(capText(text, max)));
}

/** A name on one line of a terminal: as oneLineName, with escape sequences removed. */
export function terminalName(text: string, max = 300): string {
  return oneLine(terminalText(text, max));
}

/**
 * The tests a submission registered that points.json does not list, as one
 * line, or ''. `show` makes each name safe for the format (terminalName for text).
 */
export function ignoredNote(exercise: ExerciseReport, show = oneLineName): string {
  if (!exercise.ignored || exercise.ignored.length === 0) return '';
  const names = exercise.ignored.map((name) => `"${show(name, 200)}"`).join(', ');
  return `ignored ${exercise.ignored.length === 1 ? 'a test' : 'tests'} not in the hidden suite (registered by the submission; they score nothing): ${names}`;
}

/**
 * Control characters (but tab and newline), DEL and C1 controls become
 * `\xNN`; bidirectional controls and line separators `\uNNNN`; lone
 * surrogates (a cap can cut a pair) and U+FFFE/U+FFFF become U+FFFD.
 * The result holds only characters XML 1.0, JSON and a terminal take as text.
 */
export function showControls(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE_FORMATTING, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
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

/** Where a controlled test's message says its table goes (score.ts puts it there). */
export const TRACE_PLACE = '(the table follows)';

/**
 * A failed test's message around its trace: the text before the table, the
 * table (whole, never capped: only made safe), the text after it. Without a
 * trace, all is `before`. The last mark is the harness's: a submission's words
 * come before it.
 */
export function splitAtTrace(test: TestReport): {
  before: string;
  trace: string | null;
  after: string;
} {
  const message = test.message || statusLabel(test);
  if (!test.trace) return { before: message, trace: null, after: '' };
  const at = message.lastIndexOf(TRACE_PLACE);
  const trace = showControls(test.trace);
  return at < 0
    ? { before: message, trace, after: '' }
    : {
        before: message.slice(0, at).trimEnd(),
        trace,
        after: message.slice(at + TRACE_PLACE.length).trim(),
      };
}

/** What a learner reads about one test: what went wrong, the whole trace, how to replay it. */
export function testFeedback(test: TestReport): string {
  if (test.status === 'passed') return safeText(test.message);
  const { before, trace, after } = splitAtTrace(test);
  const lines = [safeText(before)];
  if (trace) lines.push(trace);
  if (after) lines.push(safeText(after));
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

/**
 * One line: the course version and the assignment (name and hash) the grade
 * came from, and what is withheld from students; '' when the report has neither.
 */
export function provenanceLine(report: GradeReport): string {
  const parts: string[] = [];
  if (report.course) parts.push(`Course ${report.course}`);
  const assignment = report.assignment;
  if (assignment) {
    parts.push(`assignment ${assignment.name} (sha256 ${assignment.hash})`);
    const later =
      assignment.visibility.when === 'after-due-date' && assignment.visibility.level !== 'score'
        ? `; the tests' ${assignment.visibility.level === 'full' ? 'results and messages' : 'results'} are shown after the due date (${assignment.due})`
        : '';
    if (assignment.shown === 'names') parts.push('test messages are withheld');
    if (assignment.shown === 'score') parts.push(`the total only${later}`);
  }
  return showControls(parts.join('; '));
}

export function overallFeedback(report: GradeReport): string {
  const lines: string[] = [];
  if (report.graderError) lines.push(`Not graded: ${report.graderError}`);
  lines.push(
    `Total: ${report.score}/${report.maxScore} (seed ${report.seed}; the same seed replays every race check)`,
  );
  for (const exercise of report.exercises) {
    if (exercise.error && !report.graderError) lines.push(`${exercise.id}: ${exercise.error}`);
    const ignored = ignoredNote(exercise);
    if (ignored) lines.push(`${exercise.id}: ${ignored}`);
  }
  lines.push(sandboxSummary(report));
  const provenance = provenanceLine(report);
  if (provenance) lines.push(provenance);
  return safeText(lines.join('\n'), SUMMARY_CAP);
}
