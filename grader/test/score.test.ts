// Scoring one suite's raw rows: what a learner reads for a passed and a failed test.
import { describe, expect, it } from 'vitest';
import { scoreExercise } from '../src/score.ts';
import type { SandboxResult } from '../src/sandbox.ts';

const run = (rows: SandboxResult['rows']): SandboxResult => ({
  tests: rows.map((r) => r.name),
  rows,
  errors: [],
  timedOut: false,
  crashed: false,
  strays: 0,
  outputTail: '',
});

describe('scoreExercise', () => {
  it("shows what a passed test measured (its annotations), and a failed test's error, never its annotations", () => {
    const report = scoreExercise(
      { id: '10-bounded-buffer', title: 'A bounded buffer' },
      run([
        {
          name: 'fast enough',
          state: 'passed',
          error: null,
          durationMs: 1,
          notes: ["yours 1.00 M values/s, the reference's 1.10 M values/s"],
        },
        { name: 'plain', state: 'passed', error: null, durationMs: 1 },
        {
          name: 'too slow',
          state: 'failed',
          error: 'reference / yours = 12.00',
          durationMs: 1,
          notes: ['figures'],
        },
      ]),
      { 'fast enough': 2, plain: 1, 'too slow': 2 },
      '/submission',
    );
    expect(report.tests.map((t) => [t.name, t.status, t.score, t.message])).toEqual([
      ['fast enough', 'passed', 2, "yours 1.00 M values/s, the reference's 1.10 M values/s"],
      ['plain', 'passed', 1, ''],
      ['too slow', 'failed', 0, 'reference / yours = 12.00'],
    ]);
  });
});

describe('scoring by points.json only', () => {
  const points = { contract: 2, exclusion: 4, wakeup: 3 };
  const exercise = { id: '04-mutex', title: 'A futex mutex' };
  const row = (name: string, state: 'passed' | 'failed', error: string | null = null) => ({
    name,
    state,
    error,
    durationMs: 1,
  });

  it('ignores a test points.json does not name, and names it in the report', () => {
    const report = scoreExercise(
      exercise,
      {
        ...run([row('contract', 'passed'), row('bonus 1', 'passed'), row('bonus 2', 'passed')]),
        tests: ['contract', 'exclusion', 'wakeup'],
      },
      points,
      '/s',
    );
    expect(report.tests.map((t) => t.name)).toEqual(['contract', 'exclusion', 'wakeup']);
    expect(report.score).toBe(2);
    expect(report.maxScore).toBe(9);
    expect(report.ignored).toEqual(['bonus 1', 'bonus 2']);
  });

  it('scores 0, with a reason, a listed test that never reported', () => {
    const report = scoreExercise(
      exercise,
      { ...run([row('contract', 'passed')]), tests: ['contract'] },
      points,
      '/s',
    );
    expect(report.tests.find((t) => t.name === 'wakeup')).toMatchObject({
      score: 0,
      maxScore: 3,
      status: 'failed',
      message: 'this test reported no result, so it scores 0',
    });
  });

  it('lets no second, passing report of a test outweigh its failure', () => {
    for (const rows of [
      [row('exclusion', 'failed', 'two holders'), row('exclusion', 'passed')],
      [row('exclusion', 'passed'), row('exclusion', 'failed', 'two holders')],
    ]) {
      const report = scoreExercise(exercise, run(rows), points, '/s');
      expect(report.tests.find((t) => t.name === 'exclusion')).toMatchObject({
        score: 0,
        status: 'failed',
        message: 'two holders',
      });
    }
  });

  it('without points (a student copy), scores every test one point', () => {
    const report = scoreExercise(
      exercise,
      run([row('a', 'passed'), row('b', 'failed')]),
      null,
      '/s',
    );
    expect([report.score, report.maxScore, report.ignored]).toEqual([1, 2, undefined]);
  });
});
