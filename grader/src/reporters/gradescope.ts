// --format gradescope: Gradescope's autograder results.json (run_autograder
// copies it to /autograder/results/results.json). One Gradescope test per
// hidden test, named "<exercise>: <test>" and tagged with the exercise; an
// exercise that could not be graded at all is one failed test worth its points,
// so the maximum Gradescope shows is always the course's maximum. Outputs are
// Markdown (output_format "md"): every text a submission may have shaped sits
// in a code block, and a controlled run's table in one of its own, whole.
// An assignment's visibility: "names" drops each test's output, "score" makes
// the tests hidden, "after-due-date" makes them after_due_date (Gradescope's
// due date); what is always visible (the summary) then shows no message.
import type { ExerciseReport, GradeReport, TestReport } from '../report.ts';
import { withheld } from '../visibility.ts';
import {
  oneLineName,
  overallFeedback,
  safeText,
  splitAtTrace,
  statusLabel,
} from './feedback-text.ts';
import { fenced } from './fence.ts';

interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  /** Left out when the assignment shows names only. */
  output?: string;
  output_format: 'md';
  tags: string[];
  visibility: 'visible' | 'hidden' | 'after_due_date';
}

/** A test's output in Markdown: status, what went wrong, the whole table, the replay command. */
function testOutput(test: TestReport): string {
  if (test.status === 'passed') return test.message ? fenced(safeText(test.message)) : '';
  const { before, trace, after } = splitAtTrace(test);
  const parts = [`**${statusLabel(test)}**`, fenced(safeText(before))];
  if (trace) parts.push(fenced(trace));
  if (after) parts.push(fenced(safeText(after)));
  if (test.replay) parts.push('Replay it:', fenced(safeText(test.replay, 500), 'sh'));
  return parts.join('\n\n');
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
        output: fenced(output),
        output_format: 'md',
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
    output: testOutput(test),
    output_format: 'md',
    tags,
    visibility: 'visible',
  }));
}

/** The tests as the assignment lets students see them, and the summary everyone sees at once. */
function shownToStudents(report: GradeReport): { tests: GradescopeTest[]; summary: GradeReport } {
  const choice = report.assignment?.visibility;
  if (!choice || (choice.level === 'full' && choice.when === 'at-once'))
    return { tests: report.exercises.flatMap(testsOf), summary: report };
  const level = choice.level === 'full' ? 'full' : 'names';
  const visibility: GradescopeTest['visibility'] =
    choice.level === 'score'
      ? 'hidden'
      : choice.when === 'after-due-date'
        ? 'after_due_date'
        : 'visible';
  const tests = withheld(report, level)
    .exercises.flatMap(testsOf)
    // JSON leaves out an undefined output: a test with names only has none.
    .map((test) => ({ ...test, visibility, ...(level === 'full' ? {} : { output: undefined }) }));
  const summary = withheld(
    report,
    choice.level === 'score' || choice.when === 'after-due-date' ? 'score' : 'names',
  );
  return { tests, summary };
}

export function formatGradescope(report: GradeReport): string {
  const shown = shownToStudents(report);
  const results = {
    score: report.graderError ? 0 : report.score,
    execution_time: Math.round(report.durationMs / 1000),
    output: fenced(overallFeedback(shown.summary)),
    output_format: 'md',
    visibility: 'visible',
    // The autograder's own stdout is the grader's progress log: for instructors only.
    stdout_visibility: 'hidden',
    tests: shown.tests,
  };
  return `${JSON.stringify(results, null, 2)}\n`;
}
