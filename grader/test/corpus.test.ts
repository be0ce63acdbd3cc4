// Every known-buggy submission loses the points of the test its label names,
// through the real grading path (sandbox, staged copy, hidden suite). Every
// patch still applies to its solution: a solution change that a mutation no
// longer fits fails here, naming the entry, instead of leaving old code behind.
import { describe, expect, it } from 'vitest';
import { corpusFiles, corpusSubmission, escapeRegExp, loadCorpus } from '../src/corpus.ts';
import { gradeSubmission } from '../src/grade.ts';
import { hasHiddenSuite, loadExercises, loadPoints } from '../src/registry.ts';

const exercises = loadExercises().filter((e) => hasHiddenSuite(e.id));
// A wait blocked this long is a hang (EDEADLK): every submission here is buggy, so a
// shorter limit than the graders' 20 s only makes its hangs fail sooner.
const KNOWN_HANG_LIMIT_MS = 4000;

for (const exercise of exercises) {
  const corpus = loadCorpus(exercise);
  const points = loadPoints(exercise.id);

  describe(`${exercise.id} known-buggy submissions`, () => {
    it('has at least three, each labelled with its bug and an existing hidden test', () => {
      expect(corpus.length).toBeGreaterThanOrEqual(3);
      for (const entry of corpus) {
        expect(entry.bug, `${entry.file}: a "// BUG: ..." line`).not.toBe('');
        expect(
          Object.keys(points),
          `${entry.file}: MUST FAIL names a test listed in points.json`,
        ).toContain(entry.mustFail);
        if (entry.kind === 'design')
          expect(entry.design, `${entry.file}: a whole file says "// DESIGN: ..."`).not.toBe('');
      }
    });

    it('has every patch applying to the solution as it is now', () => {
      // corpusFiles throws StalePatchError, whose message names the entry and the hunk
      for (const entry of corpus.filter((e) => e.kind === 'patch'))
        expect(corpusFiles(entry, exercise).size, entry.file).toBeGreaterThan(0);
    });

    for (const entry of corpus) {
      const name = entry.file.split('/').pop()!;
      // A few at a time (maxConcurrency in the config): load can only make a buggy submission fail harder.
      it.concurrent(`${name} fails "${entry.mustFail}"`, { timeout: 180_000 }, async ({
        expect,
      }) => {
        const submission = corpusSubmission(entry, exercise);
        try {
          const report = await gradeSubmission(submission.dir, {
            exercises: [exercise.id],
            testNamePattern: `${escapeRegExp(entry.mustFail)}$`,
            waitLimitMs: KNOWN_HANG_LIMIT_MS,
          });
          const test = report.exercises[0].tests.find((t) => t.name === entry.mustFail);
          expect(test, `the grade lists "${entry.mustFail}"`).toBeDefined();
          // failed or timed out: a skipped or crashed run proves nothing about the bug
          expect(
            ['failed', 'timeout'],
            `seed ${report.seed}: ${name} (${entry.bug}) must fail "${entry.mustFail}", got ${test!.status}: ${test!.message}`,
          ).toContain(test!.status);
          expect(test!.score).toBe(0);
          // A zero for tampering (someone edited the grader's files meanwhile) says nothing about the bug.
          expect(
            `${report.exercises[0].error ?? ''} ${test!.message}`,
            'the failure is the bug, not the grader',
          ).not.toMatch(/tampering:/);
        } finally {
          submission.remove();
        }
      });
    }
  });
}
