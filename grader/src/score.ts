// Turn one suite's raw events into an ExerciseReport with points.
// Only the tests named in points.json score, each exactly once: a test the
// submission registered is ignored (and named in the report), and a listed test
// that never reported scores 0 with the reason. So a hang or a crash costs
// exactly the tests that did not finish, never the ones that passed.
import { hintFor } from './hint-match.ts';
import type { Hint } from './registry.ts';
import type { ExerciseReport, TestReport, TestStatus } from './report.ts';
import { capText, TRACE_PLACE } from './reporters/feedback-text.ts';
import { sum } from './report.ts';
import type { ResultRow } from './run-vitest.ts';
import type { SandboxResult } from './sandbox.ts';

function statusOf(row: ResultRow): TestStatus {
  if (row.state === 'passed') return 'passed';
  if (row.state === 'skipped' || row.state === 'pending') return 'skipped';
  return /Test timed out|EDEADLK|still running after|timed out waiting|never returned/.test(
    row.error ?? '',
  )
    ? 'timeout'
    : 'failed';
}

/** The failure as a learner reads it: no terminal colours, no blank lines. */
function cleanMessage(error: string): string {
  return error
    .replace(/\x1b\[[0-9;]*m/g, '')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** Longest list of ignored test names a report keeps, and the longest name. */
const IGNORED_CAP = 20;
const IGNORED_NAME_CAP = 200;

/**
 * The tests that score: with points (a hidden suite), exactly the names in
 * points.json, in the order the suite declares them; without (a student copy's
 * visible tests), every test declared or reported, one point each.
 */
function scoredNames(run: SandboxResult, points: Record<string, number> | null): string[] {
  if (!points) return [...new Set([...run.tests, ...run.rows.map((r) => r.name)])];
  const listed = Object.keys(points);
  return [...new Set([...run.tests.filter((name) => name in points), ...listed])];
}

/** Passed only if every report of the name passed: a second, forged report cannot win. */
function worstRow(rows: ResultRow[]): ResultRow {
  const rank = (row: ResultRow) =>
    row.state === 'passed' ? 2 : row.state === 'skipped' || row.state === 'pending' ? 1 : 0;
  return rows.reduce((worst, row) => (rank(row) < rank(worst) ? row : worst));
}

export function scoreExercise(
  exercise: { id: string; title: string },
  run: SandboxResult,
  points: Record<string, number> | null,
  submission: string,
  hints: Hint[] = [],
): ExerciseReport {
  const names = scoredNames(run, points);
  const rowsByName = new Map<string, ResultRow[]>();
  for (const row of run.rows) rowsByName.set(row.name, [...(rowsByName.get(row.name) ?? []), row]);
  const unfinished: TestStatus = run.timedOut ? 'timeout' : run.crashed ? 'crashed' : 'failed';
  const tests: TestReport[] = names.map((name) => {
    const maxScore = points ? points[name] : 1;
    const rows = rowsByName.get(name);
    if (!rows) {
      const why = run.outOfMemory
        ? `${run.outOfMemory} before this test finished`
        : run.timedOut
          ? 'the exercise ran out of time before this test finished'
          : run.crashed
            ? 'the test process ended before this test finished'
            : (run.errors[0] ?? 'this test reported no result, so it scores 0');
      return {
        name,
        score: 0,
        maxScore,
        status: unfinished,
        message: capText(why) + hintFor(hints, name, { status: unfinished }),
        replay: null,
        durationMs: null,
      };
    }
    const row = worstRow(rows);
    const status = statusOf(row);
    const error = row.error ?? 'skipped';
    const controlled = status === 'passed' ? undefined : row.controlled;
    // The table goes in its own field, whole; the message says where it went.
    // The replay command has its own field too.
    const text = controlled
      ? error
          .replace(controlled.trace, TRACE_PLACE)
          .replace(controlled.replay ? `\nreplay: ${controlled.replay}` : '', '')
      : error;
    const message =
      status === 'passed'
        ? capText((row.notes ?? []).join('\n'))
        : status === 'skipped'
          ? 'skipped'
          : capText(cleanMessage(text)) + hintFor(hints, name, { status, controlled });
    const replay =
      status === 'passed' || !row.replay ? null : row.replay.replace('<submission>', submission);
    return {
      name,
      score: status === 'passed' ? maxScore : 0,
      maxScore,
      status,
      message,
      replay,
      durationMs: row.durationMs,
      ...(controlled
        ? {
            trace: controlled.trace,
            traceRows: controlled.rows,
            racingPair: controlled.racingPair,
            shrinkMs: controlled.shrinkMs,
            ...(controlled.class ? { failureClass: controlled.class } : {}),
          }
        : {}),
    };
  });
  const report: ExerciseReport = {
    id: exercise.id,
    title: exercise.title,
    score: sum(tests, (t) => t.score),
    maxScore: sum(tests, (t) => t.maxScore),
    tests,
  };
  const ignored = [...new Set(run.rows.map((r) => r.name))].filter((name) => !names.includes(name));
  if (ignored.length > 0)
    report.ignored = [
      ...ignored.slice(0, IGNORED_CAP).map((name) => capText(name, IGNORED_NAME_CAP)),
      ...(ignored.length > IGNORED_CAP ? [`… and ${ignored.length - IGNORED_CAP} more`] : []),
    ];
  const nothingRan = run.tests.length === 0 && run.rows.length === 0;
  if (nothingRan || run.errors.length > 0) {
    report.error = capText(
      [
        run.outOfMemory ?? '',
        ...run.errors,
        run.timedOut ? 'ran out of time' : '',
        run.crashed ? `crashed:\n${run.outputTail}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
  return report;
}
