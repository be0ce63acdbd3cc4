// --format json: the report as documented in the README (score, maxScore, seed,
// exercises[].tests[] with status, message and replay; error when grading
// could not finish), with every text capped.
import type { GradeReport } from '../report.ts';
import { safeText, showControls } from './feedback-text.ts';

export function formatJson(report: GradeReport): string {
  const { score, maxScore, seed, graderError, sandbox, course, assignment } = report;
  const exercises = report.exercises.map((exercise) => ({
    ...exercise,
    ...(exercise.error === undefined ? {} : { error: safeText(exercise.error) }),
    ...(exercise.ignored === undefined
      ? {}
      : { ignored: exercise.ignored.map((name) => safeText(name, 200)) }),
    tests: exercise.tests.map((test) => ({
      ...test,
      name: safeText(test.name, 300),
      message: safeText(test.message),
      replay: test.replay === null ? null : safeText(test.replay, 500),
      // A controlled run's table is never capped, only made safe.
      ...(test.trace === undefined ? {} : { trace: showControls(test.trace) }),
    })),
  }));
  const error = graderError === undefined ? {} : { error: safeText(graderError) };
  return `${JSON.stringify({ score, maxScore, seed, ...error, sandbox, course, assignment, exercises }, null, 2)}\n`;
}
