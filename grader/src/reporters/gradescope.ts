// --format gradescope: Gradescope's autograder results.json (run_autograder
// copies it to /autograder/results/results.json). One Gradescope test per
// hidden test, named "<exercise>: <test>" and tagged with the exercise; an
// exercise that could not be graded at all is one failed test worth its points,
// so the maximum Gradescope shows is always the course's maximum.
import type { ExerciseReport, GradeReport } from '../report.ts';
import {
  oneLineName,
  overallFeedback,
  safeText,
  statusLabel,
  testFeedback,
} from './feedback-text.ts';

interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  tags: string[];
  visibility: 'visible';
}

function testsOf(exercise: ExerciseReport): GradescopeTest[] {
  const tags = [exercise.id];
  if (exercise.tests.length === 0) {
    const output = safeText(exercise.error ?? 'no tests ran');
    return [
      {
        name: `${exercise.id}: could not be graded`,
        score: 0,
        max_score: exercise.maxScore,
        status: 'failed',
        output,
        tags,
        visibility: 'visible',
      },
    ];
  }
  return exercise.tests.map((test) => ({
    name: `${exercise.id}: ${oneLineName(test.name)}`,
    score: test.score,
    max_score: test.maxScore,
    status: test.status === 'passed' ? 'passed' : 'failed',
    output:
      test.status === 'passed' || test.status === 'failed'
        ? testFeedback(test)
        : `(${statusLabel(test)}) ${testFeedback(test)}`,
    tags,
    visibility: 'visible',
  }));
}

export function formatGradescope(report: GradeReport): string {
  const results = {
    score: report.graderError ? 0 : report.score,
    execution_time: Math.round(report.durationMs / 1000),
    output: overallFeedback(report),
    visibility: 'visible',
    // The autograder's own stdout is the grader's progress log: for instructors only.
    stdout_visibility: 'hidden',
    tests: report.exercises.flatMap(testsOf),
  };
  return `${JSON.stringify(results, null, 2)}\n`;
}
