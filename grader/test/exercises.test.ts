// The authoring rules every exercise keeps (rustlings' `dev check`, extended):
// a starter and its solution have the same file names and exports; the starter
// says where to work and fits on a screen; every starter fails its visible
// tests; every solution passes them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExercises, repoRoot } from '../src/registry.ts';
import { runInSandbox } from '../src/sandbox.ts';
import { stageSubmission, stageVisible } from '../src/submission.ts';

const exercisesDir = join(repoRoot, 'exercises');
const solutionsDir = join(repoRoot, 'solutions');
// Size budgets, counted on formatted code (CONTRIBUTING.md says why these numbers).
const STARTER_BUDGET = 160;
const SOLUTION_BUDGET = 270;
const lineCount = (file: string) =>
  readFileSync(file, 'utf8').replace(/\n$/, '').split('\n').length;

async function visibleResults(id: string, learnerDir: string) {
  const exercise = loadExercises().find((e) => e.id === id)!;
  const staged = stageVisible(exercise, exercisesDir, learnerDir);
  try {
    const run = await runInSandbox(
      {
        exerciseId: id,
        submissionDir: staged.dir,
        seed: 1,
        visible: { root: staged.dir, include: [`${id}/**/*.test.ts`] },
      },
      180_000,
    );
    return run;
  } finally {
    staged.remove();
  }
}

for (const exercise of loadExercises()) {
  describe(`exercise ${exercise.id}`, () => {
    it('has a lesson, a task, hints, visible tests, and a solution for every starter file', () => {
      for (const path of [
        exercise.lesson,
        `exercises/${exercise.id}/README.md`,
        `exercises/${exercise.id}/hints.md`,
      ]) {
        expect(existsSync(join(repoRoot, path)), path).toBe(true);
      }
      for (const file of exercise.files) {
        const starter = join(exercisesDir, exercise.id, file);
        const solution = join(solutionsDir, exercise.id, file);
        expect(existsSync(starter), starter).toBe(true);
        expect(existsSync(solution), solution).toBe(true);
        expect(
          readFileSync(starter, 'utf8'),
          `${file}: a // TODO: tells the learner where to work`,
        ).toContain('// TODO:');
        expect(
          lineCount(starter),
          `${file}: starter lines (budget ${STARTER_BUDGET}, CONTRIBUTING.md)`,
        ).toBeLessThanOrEqual(STARTER_BUDGET);
        expect(
          lineCount(solution),
          `${file}: solution lines (budget ${SOLUTION_BUDGET}, CONTRIBUTING.md)`,
        ).toBeLessThanOrEqual(SOLUTION_BUDGET);
      }
    });

    it('starter and solution export the same names', async () => {
      // The solution as grading sees it: staged, with the course's given files beside it.
      const staged = stageSubmission(solutionsDir, [exercise]);
      try {
        for (const file of exercise.files) {
          const starter = await import(join(exercisesDir, exercise.id, file));
          const solution = await import(join(staged.dir, exercise.id, file));
          expect(Object.keys(starter).sort()).toEqual(Object.keys(solution).sort());
        }
      } finally {
        staged.remove();
      }
    });

    it('the starter fails its visible tests', { timeout: 200_000 }, async () => {
      const run = await visibleResults(exercise.id, exercisesDir);
      expect(run.rows.length, `visible tests ran: ${run.errors.join('\n')}`).toBeGreaterThan(0);
      expect(
        run.rows.filter((r) => r.state === 'failed').length,
        'failing visible tests with the starter',
      ).toBeGreaterThan(0);
    });

    it('the solution passes its visible tests', { timeout: 200_000 }, async () => {
      const run = await visibleResults(exercise.id, solutionsDir);
      const failed = run.rows
        .filter((r) => r.state !== 'passed')
        .map((r) => `${r.name}: ${r.error}`);
      expect(run.errors).toEqual([]);
      expect(failed).toEqual([]);
      expect(run.rows.length).toBeGreaterThan(0);
    });
  });
}

describe('given files', () => {
  it("22's given mailbox is 18's reference Mailbox, byte for byte (a fix to one is a fix to both)", () => {
    expect(readFileSync(join(exercisesDir, '22-request-reply', 'mailbox.ts'), 'utf8')).toBe(
      readFileSync(join(solutionsDir, '18-mailbox', 'mailbox.ts'), 'utf8'),
    );
  });

  it('each has its one source in exercises/, and no copy in solutions/ or the hidden suites', () => {
    for (const exercise of loadExercises())
      for (const file of exercise.given ?? []) {
        expect(existsSync(join(exercisesDir, exercise.id, file)), file).toBe(true);
        for (const copy of [solutionsDir, join(repoRoot, 'grader', 'suites')])
          expect(existsSync(join(copy, exercise.id, file)), join(copy, exercise.id, file)).toBe(
            false,
          );
      }
  });
});
