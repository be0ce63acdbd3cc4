// What students see of the hidden tests (an assignment's "visibility"), applied
// to a report before any format renders it, so no format can show more:
// full: names, messages, traces and replay commands; names: each test's name,
// pass/fail and points, no message; score: the total only. With
// "after-due-date", the total only until the due date.
import type { VisibilityLevel } from './assignment/assignment.ts';
import type { ExerciseReport, GradeReport } from './report.ts';

/** The level in force for this report now. */
export function shownLevel(report: GradeReport, now = Date.now()): VisibilityLevel {
  const stamp = report.assignment;
  if (!stamp) return 'full';
  if (stamp.visibility.when === 'after-due-date' && (!stamp.due || now < Date.parse(stamp.due)))
    return 'score';
  return stamp.visibility.level;
}

/** Errors of the grader's own about the upload (missing folder, refused file) say nothing of the tests. */
const ABOUT_THE_UPLOAD = /^not (submitted|graded):/;

function namesOnly(exercise: ExerciseReport): ExerciseReport {
  const { error, ...rest } = exercise;
  return {
    ...rest,
    tests: exercise.tests.map((test) => ({ ...test, message: '', replay: null })),
    ...(error === undefined
      ? {}
      : {
          error: ABOUT_THE_UPLOAD.test(error)
            ? error
            : 'could not be graded (the details are withheld for this assignment)',
        }),
  };
}

/** The report with what `level` keeps out removed (and the level recorded in it). */
export function withheld(report: GradeReport, level: VisibilityLevel): GradeReport {
  if (level === 'full' || !report.assignment) return report;
  const assignment = { ...report.assignment, shown: level };
  if (level === 'score') return { ...report, assignment, exercises: [] };
  return { ...report, assignment, exercises: report.exercises.map(namesOnly) };
}

/** The report as students may see it now. */
export function shownReport(report: GradeReport, now = Date.now()): GradeReport {
  return withheld(report, shownLevel(report, now));
}
