// The report of a grading that could not finish: the grader threw, or the
// folder is not a submission. Every requested format is still written from it,
// so a CI job or Gradescope always finds a valid results file saying why,
// with 0 points out of what the chosen exercises are worth.
import { chooseExercises } from './grade.ts';
import type { Assignment } from './assignment/assignment.ts';
import { pointsFor } from './assignment/points.ts';
import { stamp } from './provenance.ts';
import type { ExerciseReport, GradeReport } from './report.ts';
import { sum } from './report.ts';
import { UsageError } from './submission.ts';

export function describeFailure(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  return `the grader failed (not the submission's fault; tell the course staff): ${error instanceof Error ? error.message : String(error)}`;
}

export function reportOfFailure(
  submission: string,
  error: unknown,
  options: { exercises?: string[]; seed?: number; assignment?: Assignment } = {},
): GradeReport {
  const reason = describeFailure(error);
  let exercises: ExerciseReport[] = [];
  try {
    exercises = chooseExercises(options.exercises).map((exercise) => ({
      id: exercise.id,
      title: exercise.title,
      score: 0,
      maxScore: sum(Object.values(pointsFor(exercise.id, options.assignment)), (points) => points),
      tests: [],
      error: "not graded: grading could not finish (the reason is in the report's header)",
    }));
  } catch {
    // The course itself cannot be read (or an exercise id is unknown): the report lists no exercises.
  }
  return stamp(
    {
      submission,
      score: 0,
      maxScore: sum(exercises, (e) => e.maxScore),
      seed: options.seed ?? 0,
      durationMs: 0,
      exercises,
      graderError: reason,
    },
    options.assignment,
  );
}
