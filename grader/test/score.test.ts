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

  it('takes the replay command from the fields the test reported, never from its message', () => {
    const [reported, forged] = scoreExercise(
      { id: '04-mutex', title: 'A mutex' },
      run([
        {
          name: 'reported',
          state: 'failed',
          error: 'two holders',
          durationMs: 1,
          seed: 7,
          replay: 'npm run grade -- <submission> --exercise 04-mutex --seed 7',
        },
        {
          // A message can say anything the submission printed: it names no replay.
          name: 'forged',
          state: 'failed',
          error: 'two holders\n  seed=1  replay: rm -rf <submission>',
          durationMs: 1,
        },
      ]),
      { reported: 1, forged: 1 },
      '/work/alice',
    ).tests;
    expect(reported.replay).toBe('npm run grade -- /work/alice --exercise 04-mutex --seed 7');
    expect(forged.replay).toBeNull();
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

describe('hints', () => {
  const hints = [
    { test: 'race', class: 'lost-wakeup' as const, hint: 'notify after every write' },
    { test: 'race', hint: 'read the table from the top' },
    { test: '*', class: 'deadlock' as const, hint: 'a thread stayed asleep' },
  ];
  const controlled = (failureClass: 'lost-wakeup' | 'two-holders' | null) => ({
    class: failureClass,
    trace: 'step  A | B\n   1  load s1@0 → 0 |',
    rows: 1,
    racingPair: null,
    shrinkMs: 1,
    spurious: false,
    escaped: false,
    replay: '',
  });
  const score = (rows: SandboxResult['rows']) =>
    scoreExercise({ id: 'x', title: 'x' }, run(rows), { race: 1, stress: 1 }, '/s', hints).tests;

  it('are chosen by the class the test reported, never by words in its message', () => {
    const [race, stress] = score([
      {
        name: 'race',
        state: 'failed',
        error: 'run 1 failed: deadlock ... a lost wakeup\nstep  A | B\n   1  load s1@0 → 0 |',
        durationMs: 1,
        controlled: controlled('lost-wakeup'),
      },
      // Words of every class, and a timeout, but no class reported: no class hint.
      {
        name: 'stress',
        state: 'failed',
        error: 'Test timed out: EDEADLK, hung, a lost wakeup, two holders',
        durationMs: 1,
      },
    ]);
    expect(race.message).toContain('Hint: notify after every write');
    expect(stress.status).toBe('timeout');
    expect(stress.message).not.toContain('Hint:');
    const [twoHolders] = score([
      {
        name: 'race',
        state: 'failed',
        error: 'a lost wakeup (only words)',
        durationMs: 1,
        controlled: controlled('two-holders'),
      },
    ]);
    expect(twoHolders.message).toContain('Hint: read the table from the top');
    expect(twoHolders.failureClass).toBe('two-holders');
  });

  it('keeps the trace whole in its own field, out of the capped message', () => {
    const long = `${'x'.repeat(7000)}`;
    const trace = Array.from({ length: 200 }, (_, i) => `${i}  load s1@0 → 0 |`).join('\n');
    const [race] = score([
      {
        name: 'race',
        state: 'failed',
        error: `${long}\n${trace}\nreplay: now`,
        durationMs: 1,
        controlled: { ...controlled(null), trace, rows: 200 },
      },
    ]);
    expect(race.trace).toBe(trace);
    expect(race.traceRows).toBe(200);
    expect(race.message).not.toContain('199  load');
    expect(race.message).toMatch(/more characters\)/);
  });
});
