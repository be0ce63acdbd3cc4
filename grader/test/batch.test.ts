// Grading many: shards, the gradebook, --repeat, and the CLI's exit codes. One
// real batch (two tiny submissions and a folder that is not one, one hidden
// test each); everything else from hand-built reports.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeBatch, listSubmissionFolders } from '../src/batch.ts';
import { corpusFiles, escapeRegExp, loadCorpus } from '../src/corpus.ts';
import { gradebookCsv, summarizeTests } from '../src/gradebook.ts';
import { loadExercises, loadPoints, repoRoot } from '../src/registry.ts';
import type { GradeReport } from '../src/report.ts';
import { mergeRuns } from '../src/runs.ts';
import { parseShard, shardSlice } from '../src/shard.ts';
import { pointsFor } from '../src/assignment/points.ts';
import { twoExercises } from './fixtures/assignments.ts';
import { mixedReport } from './fixtures/reports.ts';

const CONTRACT = 'follows the contract on one thread: init, tryLock, unlock, EPERM';
const scratch = mkdtempSync(join(tmpdir(), 'ipcc-batch-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function grade(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), join(repoRoot, 'grader/cli.ts'), ...args],
    { cwd: repoRoot },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('--shard K/N', () => {
  it('splits the sorted list into N contiguous slices that cover it once', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const slices = [1, 2, 3].map((index) => shardSlice(names, { index, count: 3 }));
    expect(slices).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f', 'g'],
    ]);
    expect(
      shardSlice(['a'], { index: 2, count: 3 }),
      'more shards than submissions: some are empty',
    ).toEqual([]);
  });

  it('refuses K/N that are not 1 <= K <= N', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'x', '1/2/3', '-1/2'])
      expect(() => parseShard(bad), bad).toThrow(/--shard/);
  });
});

describe('--repeat N', () => {
  const run = (seed: number, failing: boolean): GradeReport => ({
    ...mixedReport,
    seed,
    exercises: [
      {
        ...mixedReport.exercises[0],
        tests: mixedReport.exercises[0].tests.map((t) =>
          t.name === 'tryLock never blocks' && failing
            ? {
                ...t,
                score: 0,
                status: 'failed',
                message: `flaked with ${seed}`,
                replay: `--seed ${seed}`,
              }
            : t,
        ),
      },
    ],
  });

  it('passes a test only if it passed in every run, and says which seeds failed', () => {
    const merged = mergeRuns([run(10, false), run(11, true), run(12, false)]);
    const test = merged.exercises[0].tests.find((t) => t.name === 'tryLock never blocks')!;
    expect(test).toMatchObject({ score: 0, status: 'failed', replay: '--seed 11' });
    expect(test.message).toMatch(
      /^failed in 1 of 3 runs \(seeds 11\); the first, with seed 11:\nflaked with 11/,
    );
    expect(merged.score).toBe(2);
    expect(merged.seed).toBe(10);
  });
});

describe('gradebook', () => {
  it('has a row per submission, a column per exercise, and guards cells against formulas', () => {
    const csv = gradebookCsv(
      [
        { name: 'alice', report: mixedReport },
        { name: '=cmd|calc', note: 'not a submission, "really"' },
      ],
      ['04-mutex', '05-semaphore'],
    );
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'submission,04-mutex,05-semaphore,total,max,seed,course,assignment,assignment_sha256,note',
    );
    expect(lines[1]).toMatch(
      /^alice,3,0,3,12,1234,,,,"05-semaphore: not submitted: no folder 05-semaphore\/ boom/,
    );
    expect(lines[1]).toContain('\\x1b[31mred');
    expect(lines[2]).toBe(`'=cmd|calc,,,,,,,,,"not a submission, ""really"""`);
  });

  it('counts, per test, the graded submissions that passed it', () => {
    const summary = summarizeTests([
      { name: 'a', report: mixedReport },
      { name: 'b', report: mixedReport },
      { name: 'c', note: 'not graded' },
    ]);
    expect(summary.find((s) => s.test === 'follows the contract')).toMatchObject({
      passed: 2,
      graded: 2,
    });
    expect(summary.find((s) => s.test === 'wakes a blocked waiter')).toMatchObject({
      passed: 0,
      graded: 2,
    });
  });
});

describe('--batch DIR', () => {
  it('grades every folder, two at a time, and writes the gradebook, the test summary and each result', {
    timeout: 90_000,
  }, async () => {
    const dir = join(scratch, 'class');
    const mutex = loadExercises().find((e) => e.id === '04-mutex')!;
    const unlockWithoutEperm = loadCorpus(mutex).find((e) =>
      e.file.endsWith('/unlock-without-eperm.patch'),
    )!;
    for (const [name, text] of [
      ['alice', readFileSync(join(repoRoot, 'solutions/04-mutex/mutex.ts'), 'utf8')],
      ['bob', corpusFiles(unlockWithoutEperm, mutex).get('mutex.ts')!],
    ]) {
      mkdirSync(join(dir, name, '04-mutex'), { recursive: true });
      writeFileSync(join(dir, name, '04-mutex', 'mutex.ts'), text);
    }
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes', 'todo.txt'), 'not a submission');
    const seen: string[] = [];
    const result = await gradeBatch(dir, {
      grade: { exercises: ['04-mutex'], testNamePattern: `${escapeRegExp(CONTRACT)}$` },
      runs: 1,
      gradebook: join(dir, 'gradebook.csv'),
      formats: ['gradescope'],
      jobs: 2,
      progress: {
        update: () => {},
        finished: (name, summary) => seen.push(`${name}: ${summary}`),
        close: () => {},
      },
    });
    expect(seen).toHaveLength(3);
    const rows = readFileSync(join(dir, 'gradebook.csv'), 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe(
      'submission,04-mutex,total,max,seed,course,assignment,assignment_sha256,note',
    );
    const max = Object.values(loadPoints('04-mutex')).reduce((a, b) => a + b, 0);
    const course = '(commit [0-9a-f]{40}(-modified)?|package [^,]+)';
    expect(rows[1]).toMatch(new RegExp(`^alice,2,2,${max},\\d+,${course},,,$`));
    expect(rows[2]).toMatch(new RegExp(`^bob,0,0,${max},\\d+,${course},,,$`));
    expect(rows[3]).toMatch(new RegExp(`^notes,,,,,${course},,,.*is not a submission`));
    expect(readFileSync(join(dir, 'gradebook-tests.csv'), 'utf8')).toContain(
      `04-mutex,"${CONTRACT}",2,1,2`,
    );
    expect(
      JSON.parse(readFileSync(join(dir, 'gradebook-reports', 'bob.gradescope.json'), 'utf8')).score,
    ).toBe(0);
    expect(
      JSON.parse(readFileSync(join(dir, 'gradebook-reports', 'notes.results.json'), 'utf8')).error,
    ).toMatch(/not a submission/);
    expect(result.graderFailures).toBe(0);
    expect(
      listSubmissionFolders(dir, [join(dir, 'gradebook-reports')]),
      'the batch never grades its own output',
    ).toEqual(['alice', 'bob', 'notes']);
  });
});

describe('--batch DIR --assignment FILE', () => {
  it('grades exactly its exercises with its points, a missing folder 0 (never an error), and writes its columns and reports', {
    timeout: 90_000,
  }, async () => {
    const dir = join(scratch, 'assigned');
    mkdirSync(join(dir, 'alice', '04-mutex'), { recursive: true });
    writeFileSync(
      join(dir, 'alice', '04-mutex', 'mutex.ts'),
      readFileSync(join(repoRoot, 'solutions/04-mutex/mutex.ts'), 'utf8'),
    );
    mkdirSync(join(dir, 'carol'));
    writeFileSync(join(dir, 'carol', 'mutex.ts'), 'uploaded outside its folder');
    const assignment = twoExercises(join(scratch, 'assignments'), {
      level: 'names',
      when: 'at-once',
    });
    const result = await gradeBatch(dir, {
      grade: {
        exercises: assignment.exercises.map((e) => e.id),
        assignment,
        testNamePattern: `${escapeRegExp(CONTRACT)}$`,
      },
      runs: 1,
      gradebook: join(dir, 'gradebook.csv'),
      formats: ['gradescope', 'junit'],
      jobs: 2,
      progress: { update: () => {}, finished: () => {}, close: () => {} },
    });
    expect(result.graderFailures).toBe(0);
    const rows = readFileSync(join(dir, 'gradebook.csv'), 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe(
      'submission,04-mutex,05-semaphore,total,max,seed,course,assignment,assignment_sha256,note',
    );
    const contract = pointsFor('04-mutex', assignment)[CONTRACT];
    const max = 10 + Object.values(loadPoints('05-semaphore')).reduce((a, b) => a + b, 0);
    const origin = `(commit [0-9a-f]{40}(-modified)?|package [^,]+),${assignment.name},${assignment.hash}`;
    expect(contract).toBeGreaterThan(0);
    expect(contract).toBeLessThan(2);
    expect(rows[1]).toMatch(
      new RegExp(
        `^alice,${contract},0,${contract},${max},\\d+,${origin},05-semaphore: not submitted`,
      ),
    );
    expect(rows[2]).toMatch(
      new RegExp(`^carol,0,0,0,${max},\\d+,${origin},04-mutex: not submitted: no folder 04-mutex/`),
    );
    const reports = join(dir, 'gradebook-reports');
    const gradescope = JSON.parse(readFileSync(join(reports, 'alice.gradescope.json'), 'utf8'));
    expect(gradescope.tests.length).toBeGreaterThan(0);
    for (const test of gradescope.tests) expect(test).not.toHaveProperty('output');
    expect(readFileSync(join(reports, 'carol.junit.xml'), 'utf8')).toContain(assignment.hash);
  });
});

describe('the CLI', () => {
  // Eleven grader starts at once: on a loaded 2-core machine tsx alone takes tens of seconds.
  it('exits 0 for --help and 2, with a reason, for each bad argument', {
    timeout: 180_000,
  }, async () => {
    expect((await grade(['--help'])).code).toBe(0);
    const cases: [string[], RegExp][] = [
      [['--batch', scratch, '--shard', '3/2'], /K must be between 1 and N/],
      [['--batch', scratch, '--shard', 'half'], /--shard takes K\/N/],
      [['solutions', '--shard', '1/2'], /--shard goes with --batch/],
      [['solutions', '--repeat', '0'], /--repeat must be an integer/],
      [['solutions', '--runs', '0'], /--runs must be an integer/],
      [['solutions', '--strategy', 'dfs'], /--strategy must be one of mixed, pct, random/],
      [['solutions', '--format', 'json,yaml'], /unknown format "yaml"/],
      [['--batch', join(scratch, 'missing')], /is not a folder/],
      [['solutions', 'exercises'], /expected one SUBMISSION/],
      [['solutions', '--colour'], /Unknown option/],
    ];
    const results = await Promise.all(cases.map(([args]) => grade(args)));
    results.forEach((result, i) => {
      expect(result.code, cases[i][0].join(' ')).toBe(2);
      expect(result.stderr).toMatch(cases[i][1]);
    });
  });

  // A grader failure (exit 1) writes its files the same way (grade-and-report.ts);
  // its reports are tested in reporters.test.ts (failedReport). A FIFO, which
  // once made the grader fail, is now refused by staging like any non-regular file.
  it('still writes every requested file for a folder that is not a submission (exit 2), and grades one holding a FIFO (exit 0, the file named)', {
    timeout: 60_000,
  }, async () => {
    const notSubmission = join(scratch, 'empty');
    mkdirSync(notSubmission, { recursive: true });
    const withFifo = join(scratch, 'fifo');
    mkdirSync(join(withFifo, '04-mutex'), { recursive: true });
    execFileSync('mkfifo', [join(withFifo, '04-mutex', 'mutex.ts')]);
    const [usage, fifo] = await Promise.all([
      grade([notSubmission, '--format', 'gradescope,junit', '--out', join(scratch, 'out-usage')]),
      grade([
        withFifo,
        '--exercise',
        '04-mutex',
        '--format',
        'gradescope,prairielearn,markdown',
        '--out',
        join(scratch, 'out-fifo'),
      ]),
    ]);
    expect(usage.code).toBe(2);
    expect(
      JSON.parse(readFileSync(join(scratch, 'out-usage', 'gradescope.json'), 'utf8')),
    ).toMatchObject({ score: 0, output: expect.stringMatching(/is not a submission/) });
    expect(readFileSync(join(scratch, 'out-usage', 'junit.xml'), 'utf8')).toMatch(
      /<testsuite [^>]*name="grader"/,
    );
    expect(fifo.code, fifo.stderr).toBe(0);
    expect(
      JSON.parse(readFileSync(join(scratch, 'out-fifo', 'gradescope.json'), 'utf8')),
    ).toMatchObject({
      score: 0,
      output: expect.stringMatching(/04-mutex\/mutex\.ts is a FIFO \(named pipe\)/),
    });
    expect(
      JSON.parse(readFileSync(join(scratch, 'out-fifo', 'prairielearn.json'), 'utf8')),
    ).toMatchObject({ gradable: true, score: 0 });
    expect(existsSync(join(scratch, 'out-fifo', 'summary.md'))).toBe(true);
  });
});
