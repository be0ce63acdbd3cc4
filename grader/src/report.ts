// The grade report: the one shape every output format is made from.
// Scores come from vitest's result objects (never from what a submission prints).
import type { Visibility } from './assignment/assignment.ts';
import type { FailureClass } from '../harness/failure-class.ts';
import type { SandboxMode } from './sandbox-modes.ts';

export type TestStatus = 'passed' | 'failed' | 'timeout' | 'crashed' | 'skipped';

export interface TestReport {
  name: string;
  score: number;
  maxScore: number;
  status: TestStatus;
  /** What went wrong, for a learner; when passed, what the test measured (its annotations), often nothing. */
  message: string;
  /** A command that replays a failing race check with its seed, or null. */
  replay: string | null;
  durationMs: number | null;
  /** A failed controlled test's interleaving table, whole: no format cuts it. */
  trace?: string;
  /** Rows of that table. */
  traceRows?: number;
  /** The racing pair marked in it, or null when no single swap of adjacent steps made the run pass. */
  racingPair?: string | null;
  /** Time the shrinking and the racing pair's search took. */
  shrinkMs?: number;
  /** What kind of failure it was, when the test knew (hints are chosen by it). */
  failureClass?: FailureClass;
}

export interface ExerciseReport {
  id: string;
  title: string;
  score: number;
  maxScore: number;
  tests: TestReport[];
  /** Why the exercise could not be graded at all (import failed, crashed), if so. */
  error?: string;
  /** Tests that reported a result but are not in points.json (the submission registered them): they score nothing. */
  ignored?: string[];
}

/** Which confinement layers were in force for a grading (--sandbox), and why the others were not. */
export interface SandboxReport {
  mode: SandboxMode;
  /** Layers in force, in words a reader of the report understands. */
  on: string[];
  /** Layers not in force, each with the reason. */
  off: string[];
}

export interface GradeReport {
  submission: string;
  score: number;
  maxScore: number;
  seed: number;
  durationMs: number;
  exercises: ExerciseReport[];
  /** The confinement the grading ran under; absent when grading never started. */
  sandbox?: SandboxReport;
  /** Why grading could not finish (the grader threw, or the folder is not a submission); the scores are then 0 and mean nothing. */
  graderError?: string;
  /** The course version the grade came from (provenance.ts). */
  course?: string;
  /** The assignment graded (--assignment): its name, hash, and what students see (visibility.ts). */
  assignment?: AssignmentStamp;
}

export interface AssignmentStamp {
  name: string;
  hash: string;
  visibility: Visibility;
  due?: string;
  /** Set when a report was cut down for students (visibility.ts): the level it shows. */
  shown?: Visibility['level'];
}

/** A total, kept to cents: an assignment's points can be fractions (assignment/points.ts), and 1.05 + 2.11 must show as 3.16. */
export function sum<T>(items: T[], pick: (item: T) => number): number {
  return Math.round(items.reduce((total, item) => total + pick(item), 0) * 100) / 100;
}
