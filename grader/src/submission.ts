// A submission is a folder laid out like exercises/: <id>/<files>. Grading
// works on a private copy, so the submission cannot see or change what the
// grader writes, and so its .ts files load as ES modules wherever it lives.
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Exercise } from './registry.ts';

/** A mistake in how the grader was called: exit code 2, message for the user. */
export class UsageError extends Error {}

export function checkSubmission(dir: string, exercises: Exercise[]): string {
  const path = resolve(dir);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new UsageError(
      `${dir} is not a folder. Pass a submission: a copy of exercises/ with your files filled in.`,
    );
  }
  if (!exercises.some((e) => existsSync(join(path, e.id)))) {
    throw new UsageError(
      `${dir} is not a submission: it has none of the exercise folders (${exercises.map((e) => e.id).join(', ')}).`,
    );
  }
  return path;
}

export interface StagedSubmission {
  dir: string;
  remove(): void;
}

export function stageSubmission(path: string, exercises: Exercise[]): StagedSubmission {
  const dir = mkdtempSync(join(tmpdir(), 'ipcc-grade-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    for (const exercise of exercises) {
      const from = join(path, exercise.id);
      if (existsSync(from))
        cpSync(from, join(dir, exercise.id), {
          recursive: true,
          filter: (src) => !src.includes('node_modules'),
        });
    }
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  } catch (error) {
    remove(); // a file that cannot be copied (a FIFO, a socket) must not leave the copy behind
    throw error;
  }
  return { dir, remove };
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
  for (const file of exercise.files) {
    const from = join(learnerDir, exercise.id, file);
    if (existsSync(from)) cpSync(from, join(dir, exercise.id, file));
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
