// Grade one submission: every chosen exercise's hidden suite, each in its own
// sandboxed process group, one after another.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepStaleSegments } from '../harness/global-setup.ts';
import type { Assignment } from './assignment/assignment.ts';
import { pointsFor } from './assignment/points.ts';
import { hasHiddenSuite, loadExercises, loadHints, type Exercise } from './registry.ts';
import type { ExerciseReport, GradeReport } from './report.ts';
import { sum } from './report.ts';
import { escapeRegExp } from './corpus.ts';
import { copyTrusted, differences, type Snapshot, snapshot, withoutModules } from './integrity.ts';
import { repoRoot } from './registry.ts';
import type { ScheduleChoice, SuiteRun } from './run-vitest.ts';
import { type GradingRealm, offReport, openRealm } from './realm.ts';
import type { SandboxMode } from './sandbox-modes.ts';
import { runInSandbox, type SandboxResult } from './sandbox.ts';
import { scoreExercise } from './score.ts';
import { UsageError, checkSubmission, stageSubmission, stageVisible } from './submission.ts';

export interface GradeOptions {
  exercises?: string[];
  seed?: number;
  /** Run only tests whose name matches (used by the corpus self-check). */
  testNamePattern?: string;
  /** Controlled-schedule tests: runs per test and strategy (the suites' defaults if unset). */
  schedule?: ScheduleChoice;
  /**
   * A shorter deadlock limit for every futex wait (default 20 s). Only for
   * submissions known to be buggy: it makes their hangs fail sooner, and
   * would fail a correct but slow one.
   */
  waitLimitMs?: number;
  /** Wall time for one exercise's whole suite. */
  exerciseTimeMs?: number;
  /** Confinement of untrusted processes (realm.ts); auto when unset. */
  sandbox?: SandboxMode;
  /** Grade for this assignment (--assignment): its exercises, with its points; a missing folder is never an error. */
  assignment?: Assignment;
  onProgress?: (message: string) => void;
}

/**
 * Run a suite; when a test hangs so hard that the run had to be killed, record
 * it as timed out and run the tests after it in a fresh sandbox, so one hang
 * costs one test's points.
 */
async function runWithRestarts(run: SuiteRun, wallTimeMs: number): Promise<SandboxResult> {
  const merged = await runInSandbox(run, wallTimeMs);
  const wanted = run.testNamePattern ? new RegExp(run.testNamePattern) : null;
  let last = merged;
  if (last.hung?.phase === 'import') {
    merged.errors.push(
      `loading the submission never finished (${Math.round(last.hung.afterMs / 1000)} s): is there a loop or a blocking wait at the top level of your file?`,
    );
    merged.hung = undefined;
    return merged;
  }
  while (last.hung) {
    const reported = new Set(merged.rows.map((r) => r.name));
    const name =
      last.hung.name ||
      merged.tests.find((t) => !reported.has(t) && (!wanted || wanted.test(t))) ||
      '';
    if (!name) break;
    merged.rows.push({
      name,
      state: 'failed',
      durationMs: last.hung.afterMs,
      error: `timed out after ${Math.round(last.hung.afterMs / 1000)} s: the test never returned, and its thread never yielded to let its own timeout fire (a loop that never ends? a wait nobody ends?)`,
    });
    reported.add(name);
    const remaining = merged.tests.filter((t) => !reported.has(t) && (!wanted || wanted.test(t)));
    if (remaining.length === 0) break;
    last = await runInSandbox(
      { ...run, testNamePattern: `(${remaining.map(escapeRegExp).join('|')})$` },
      wallTimeMs,
    );
    // The rerun reports the tests it filtered out as skipped: keep the first run's rows for those.
    merged.rows.push(...last.rows.filter((r) => remaining.includes(r.name)));
    merged.errors.push(...last.errors);
    merged.timedOut ||= last.timedOut;
    merged.crashed = last.crashed;
    merged.outOfMemory = last.outOfMemory;
    merged.outputTail = last.outputTail;
    merged.strays += last.strays;
    if (last.hung?.phase === 'import') break;
  }
  merged.hung = undefined;
  return merged;
}

export function disqualify(report: ExerciseReport, reason: string): ExerciseReport {
  const tests = report.tests.map((t) => ({
    ...t,
    score: 0,
    status: t.status === 'passed' ? ('failed' as const) : t.status,
    message: t.message || reason,
  }));
  return { ...report, score: 0, tests, error: reason };
}

/** An exercise staging refused (a link, a FIFO, over the size cap): 0 points, and why. */
function refusedReport(
  exercise: Exercise,
  reason: string,
  assignment?: Assignment,
): ExerciseReport {
  return {
    id: exercise.id,
    title: exercise.title,
    score: 0,
    maxScore: sum(Object.values(pointsFor(exercise.id, assignment)), (p) => p),
    tests: [],
    error: `not graded: ${reason}`,
  };
}

/** True in a student copy (npm run course -- release): no hidden suites ship there. */
export function visibleOnly(): boolean {
  return !loadExercises().some((e) => hasHiddenSuite(e.id));
}

export function chooseExercises(ids: string[] | undefined): Exercise[] {
  const graded = visibleOnly()
    ? loadExercises()
    : loadExercises().filter((e) => hasHiddenSuite(e.id));
  if (!ids || ids.length === 0) return graded;
  return ids.map((id) => {
    const found = graded.find((e) => e.id === id || e.id.replace(/^\d+-/, '') === id);
    if (!found)
      throw new UsageError(
        `unknown exercise "${id}". Exercises: ${graded.map((e) => e.id).join(', ')}`,
      );
    return found;
  });
}

interface ExerciseRun {
  exercise: Exercise;
  stagedDir: string;
  submission: string;
  seed: number;
  options: GradeOptions;
  /** The trusted files as they were before the grading's first exercise (integrity.ts). */
  baseline: Snapshot;
  realm?: GradingRealm;
}

/** The hidden suite, run from a fresh private copy of the trusted files (integrity.ts). */
async function gradeHidden({
  exercise,
  stagedDir,
  submission,
  seed,
  options,
  baseline,
  realm,
}: ExerciseRun): Promise<ExerciseReport> {
  // Outside the staged submission, so no relative path from the submission's files leads into it.
  const trustedRoot = mkdtempSync(join(tmpdir(), 'ipcc-trusted-'));
  try {
    copyTrusted(trustedRoot);
    const confined = realm?.forExercise(exercise.id, trustedRoot);
    const run = await runWithRestarts(
      {
        exerciseId: exercise.id,
        submissionDir: realm?.submission ?? stagedDir,
        env: confined?.env,
        trustedRoot,
        seed,
        testNamePattern: options.testNamePattern,
        schedule: options.schedule,
        waitLimitMs: options.waitLimitMs,
      },
      options.exerciseTimeMs ?? 240_000,
    );
    realm?.afterExercise();
    const report = scoreExercise(
      exercise,
      run,
      pointsFor(exercise.id, options.assignment),
      submission,
      loadHints(exercise.id),
    );
    const tampered = [
      ...differences(withoutModules(baseline), snapshot(trustedRoot, null)),
      ...differences(baseline, snapshot(repoRoot)).map((p) => `${p} in the repository`),
    ];
    return tampered.length > 0
      ? disqualify(
          report,
          `tampering: the grader's files changed during the run (${tampered.slice(0, 10).join(', ')}${tampered.length > 10 ? `, and ${tampered.length - 10} more` : ''}); this exercise scores 0`,
        )
      : report;
  } finally {
    rmSync(trustedRoot, { recursive: true, force: true });
  }
}

/** In a student copy: the visible tests, one point each, against the submission's files. */
async function gradeVisible({
  exercise,
  submission,
  seed,
  options,
}: ExerciseRun): Promise<ExerciseReport> {
  const staged = stageVisible(exercise, join(repoRoot, 'exercises'), submission);
  try {
    const refusal = staged.refused.get(exercise.id);
    if (refusal) return refusedReport(exercise, refusal, options.assignment);
    const run = await runInSandbox(
      {
        exerciseId: exercise.id,
        submissionDir: staged.dir,
        seed,
        testNamePattern: options.testNamePattern,
        visible: { root: staged.dir, include: [`${exercise.id}/**/*.test.ts`] },
      },
      options.exerciseTimeMs ?? 240_000,
    );
    return scoreExercise(exercise, run, null, submission);
  } finally {
    staged.remove();
  }
}

export async function gradeSubmission(
  submission: string,
  options: GradeOptions = {},
): Promise<GradeReport> {
  const started = performance.now();
  const exercises = chooseExercises(options.exercises);
  const path = checkSubmission(submission, exercises, options.assignment !== undefined);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const visible = visibleOnly();
  if (visible)
    options.onProgress?.(
      "The hidden suites are your instructor's: this grade runs the visible tests only.",
    );
  const baseline = visible ? new Map() : snapshot(repoRoot);
  const staged = stageSubmission(path, exercises);
  const reports: ExerciseReport[] = [];
  let realm: GradingRealm | undefined;
  try {
    // The visible tests of a student copy run as they do for the learner, unconfined.
    realm = visible ? undefined : openRealm(options.sandbox ?? 'auto', staged.dir);
    for (const exercise of exercises) {
      const refusal = staged.refused.get(exercise.id);
      if (refusal) {
        reports.push(refusedReport(exercise, refusal, options.assignment));
        continue;
      }
      if (!existsSync(join(staged.dir, exercise.id))) {
        const maxScore = sum(Object.values(pointsFor(exercise.id, options.assignment)), (p) => p);
        reports.push({
          id: exercise.id,
          title: exercise.title,
          score: 0,
          maxScore,
          tests: [],
          error: `not submitted: no folder ${exercise.id}/`,
        });
        continue;
      }
      options.onProgress?.(`grading ${exercise.id}`);
      const run: ExerciseRun = {
        exercise,
        stagedDir: staged.dir,
        submission: path,
        seed,
        options,
        baseline,
        realm,
      };
      reports.push(await (visible ? gradeVisible(run) : gradeHidden(run)));
    }
  } finally {
    realm?.close();
    staged.remove();
    sweepStaleSegments();
  }
  return {
    submission: path,
    score: sum(reports, (r) => r.score),
    maxScore: sum(reports, (r) => r.maxScore),
    seed,
    durationMs: Math.round(performance.now() - started),
    exercises: reports,
    sandbox: realm?.report ?? offReport(),
  };
}
