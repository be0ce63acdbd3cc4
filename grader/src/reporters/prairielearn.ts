// --format prairielearn: PrairieLearn's external grader results
// (/grade/results/results.json): score as a fraction in [0, 1], and a test
// list that <pl-external-grader-results> renders. When grading could not
// finish, the result is "gradable": false, so the attempt costs the student
// nothing, and format_errors says why.
import type { ExerciseReport, GradeReport } from '../report.ts';
import {
  oneLineName,
  overallFeedback,
  safeText,
  statusLabel,
  testFeedback,
} from './feedback-text.ts';

interface PrairieLearnTest {
  name: string;
  description: string;
  points: number;
  max_points: number;
  message: string;
  output: string;
}

function testsOf(exercise: ExerciseReport): PrairieLearnTest[] {
  const description = exercise.title;
  if (exercise.tests.length === 0) {
    const why = safeText(exercise.error ?? 'no tests ran');
    return [
      {
        name: `${exercise.id}: could not be graded`,
        description,
        points: 0,
        max_points: exercise.maxScore,
        message: why.split('\n')[0],
        output: why,
      },
    ];
  }
  return exercise.tests.map((test) => ({
    name: `${exercise.id}: ${oneLineName(test.name)}`,
    description,
    points: test.score,
    max_points: test.maxScore,
    message:
      test.status === 'passed'
        ? 'passed'
        : `${statusLabel(test)}: ${safeText(test.message, 200).split('\n')[0]}`,
    output: testFeedback(test),
  }));
}

export function formatPrairieLearn(report: GradeReport): string {
  const gradable = !report.graderError;
  const results = {
    gradable,
    score: gradable && report.maxScore > 0 ? report.score / report.maxScore : 0,
    message: overallFeedback(report).split('\n')[0],
    output: overallFeedback(report),
    ...(gradable ? {} : { format_errors: [safeText(report.graderError!)] }),
    tests: report.exercises.flatMap(testsOf),
  };
  return `${JSON.stringify(results, null, 2)}\n`;
}
