// A submission is a folder laid out like exercises/: <id>/<files>. Grading
// works on a private copy, so the submission cannot see or change what the
// grader writes, and so its .ts files load as ES modules wherever it lives.
import {
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Exercise, givenFile } from './registry.ts';
import { checkCaps, copyPlanned, type PlannedFile, planFolder, Refusal } from './staging.ts';

/** A mistake in how the grader was called: exit code 2, message for the user. */
export class UsageError extends Error {}

/** With `mayBeEmpty` (an assignment), a folder holding none of the exercises scores 0 instead. */
export function checkSubmission(dir: string, exercises: Exercise[], mayBeEmpty = false): string {
  const path = resolve(dir);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new UsageError(
      `${dir} is not a folder. Pass a submission: a copy of exercises/ with your files filled in.`,
    );
  }
  if (!mayBeEmpty && !exercises.some((e) => existsSync(join(path, e.id)))) {
    throw new UsageError(
      `${dir} is not a submission: it has none of the exercise folders (${exercises.map((e) => e.id).join(', ')}).`,
    );
  }
  return path;
}

export interface StagedSubmission {
  dir: string;
  /** Exercises left out of the copy, with the reason the learner reads (staging.ts). */
  refused: Map<string, string>;
  remove(): void;
}

/**
 * Copies the chosen exercises' folders (regular files only, within the caps;
 * staging.ts). An exercise holding a link, a device or a FIFO is refused alone;
 * a submission over the size or file-count cap is refused whole, before any copy.
 * The exercise's given files are then the course's own, whatever the submission
 * held at their names: only the learner's files are judged.
 */
export function stageSubmission(path: string, exercises: Exercise[]): StagedSubmission {
  const dir = mkdtempSync(join(tmpdir(), 'ipcc-grade-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const refused = new Map<string, string>();
  try {
    const plans = new Map<string, PlannedFile[]>();
    for (const exercise of exercises) {
      if (!existsSync(join(path, exercise.id)) && !isLink(join(path, exercise.id))) continue;
      try {
        plans.set(exercise.id, planFolder(path, exercise.id));
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        refused.set(exercise.id, error.message);
      }
    }
    try {
      checkCaps([...plans.values()].flat());
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      for (const id of plans.keys()) refused.set(id, error.message);
      plans.clear();
    }
    for (const [id, files] of plans) {
      try {
        mkdirSync(join(dir, id));
        for (const file of files) copyPlanned(path, file, dir);
        layGiven(exercises.find((e) => e.id === id)!, dir);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        refused.set(id, error.message);
        rmSync(join(dir, id), { recursive: true, force: true });
      }
    }
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  } catch (error) {
    remove(); // a file that cannot be read must not leave the copy behind
    throw error;
  }
  return { dir, refused, remove };
}

/** Puts the course's copy of each given file of `exercise` into the staged folder. */
export function layGiven(exercise: Exercise, stagedDir: string): void {
  for (const file of exercise.given ?? []) {
    const target = join(stagedDir, exercise.id, file);
    rmSync(target, { recursive: true, force: true });
    copyFileSync(givenFile(exercise.id, file), target);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * A folder to run one exercise's visible tests against a learner's files: the
 * exercise folder from the repo (tests, helpers, starter), with the learner's
 * files laid over it. The tests import them relatively, as learners run them.
 */
export function stageVisible(
  exercise: Exercise,
  exercisesDir: string,
  learnerDir: string,
): StagedSubmission {
  const dir = mkdtempSync(join(tmpdir(), 'ipcc-visible-'));
  cpSync(join(exercisesDir, exercise.id), join(dir, exercise.id), { recursive: true });
  const refused = new Map<string, string>();
  try {
    const files = exercise.files
      .map((file) => `${exercise.id}/${file}`)
      .filter((file) => existsSync(join(learnerDir, file)) || isLink(join(learnerDir, file)))
      .flatMap((file) => planFolder(learnerDir, file));
    checkCaps(files);
    for (const file of files) copyPlanned(learnerDir, file, dir);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    refused.set(exercise.id, error.message);
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return { dir, refused, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
