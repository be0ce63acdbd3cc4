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
