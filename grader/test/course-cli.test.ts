// The learner's loop (npm run course -- status / verify / hint), run as a
// learner runs it, on a scratch copy of two exercises: 04-mutex solved with
// its reference solution, 03-spinlock untouched, then edited but still wrong.
// Two visible-test runs in all; everything else comes from the cache.
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openCourse } from '../course/course-root.ts';
import { hint, parseHints } from '../course/hints.ts';
import { computeStarterHashes, loadStarterHashes } from '../course/progress.ts';
import { STATE_FILE } from '../course/state.ts';
import { repoRoot } from '../src/registry.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ipcc-course-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A course folder holding 03-spinlock and 04-mutex, as a learner's copy would. */
function makeCourse(name: string): string {
  const root = join(scratch, name);
  mkdirSync(join(root, 'exercises'), { recursive: true });
  const all = JSON.parse(readFileSync(join(repoRoot, 'exercises/course.json'), 'utf8')) as {
    exercises: { id: string }[];
  };
  const kept = all.exercises.filter((e) => e.id === '03-spinlock' || e.id === '04-mutex');
  writeFileSync(join(root, 'exercises/course.json'), JSON.stringify({ ...all, exercises: kept }));
  for (const { id } of kept)
    cpSync(join(repoRoot, 'exercises', id), join(root, 'exercises', id), { recursive: true });
  return root;
}

/** npm run course -- ARGS, typed in `where` (npm keeps that folder in INIT_CWD). */
function course(
  where: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const tsx = join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
  const child = spawn(process.execPath, [tsx, 'grader/course/cli.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, INIT_CWD: where, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const line = (output: string, id: string) =>
  output.split('\n').find((l) => l.trimStart().startsWith(id)) ?? '';

describe('npm run course -- status and verify', () => {
  const root = makeCourse('learner');
  copyFileSync(
    join(repoRoot, 'solutions/04-mutex/mutex.ts'),
    join(root, 'exercises/04-mutex/mutex.ts'),
  );

  it('says passed for a solved exercise, not started for an untouched one, and names the next', {
    timeout: 120_000,
  }, async () => {
    const { code, stdout, stderr } = await course(join(root, 'exercises'), 'status'); // from a subfolder: found by walking up
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('checking 04-mutex');
    expect(stdout).not.toContain('checking 03-spinlock'); // an untouched starter is not run
    expect(line(stdout, '04-mutex')).toMatch(/passed/);
    expect(line(stdout, '03-spinlock')).toMatch(/not started/);
    expect(stdout).toMatch(/Next: 03-spinlock/);
  });

  it('verify exits 1 on failing tests, with a line per test and the start of each failure', {
    timeout: 120_000,
  }, async () => {
    appendFileSync(join(root, 'exercises/03-spinlock/spinlock.ts'), '\n// started, not finished\n');
    const { code, stdout } = await course(root, 'verify'); // no id: the next unfinished one
    expect(code).toBe(1);
    expect(stdout).toContain('03-spinlock: A spinlock');
    expect(stdout).toMatch(/✓ rejects an unaligned offset/);
    expect(stdout).toMatch(/✗ lets tryLock take a free lock once.*\n\s+TODO: SpinLock.tryLock/);
    expect(stdout).toMatch(/1 of \d+ visible tests pass/);
    expect(stdout).not.toMatch(/\x1b\[/); // no colour codes outside a terminal
  });

  it('status then answers from the cache: failing, passed, and no test run', {
    timeout: 60_000,
  }, async () => {
    const { code, stdout } = await course(root, 'status');
    expect(code).toBe(0);
    expect(stdout).not.toContain('checking');
    expect(line(stdout, '03-spinlock')).toMatch(/failing \(1 of \d+ tests pass\)/);
    expect(line(stdout, '04-mutex')).toMatch(/passed/);
    const state = JSON.parse(readFileSync(join(root, STATE_FILE), 'utf8'));
    expect(Object.keys(state.results).sort()).toEqual(['03-spinlock', '04-mutex']);
  });
});

describe('npm run course -- verify runs the race check', () => {
  it('fails a mutex whose unlock loses a wakeup, with the whole interleaving and how to replay it', {
    timeout: 200_000,
  }, async () => {
    const root = makeCourse('race');
    // unlock as a load, then a store of 0: a waiter that writes 2 in between is never woken
    const lostWakeup = readFileSync(join(repoRoot, 'solutions/04-mutex/mutex.ts'), 'utf8').replace(
      'const previous = this.segment.exchange(cell, UNLOCKED);',
      'const previous = this.segment.load(cell);\n    if (previous !== UNLOCKED) this.segment.store(cell, UNLOCKED);',
    );
    expect(lostWakeup).toContain('this.segment.load(cell);');
    writeFileSync(join(root, 'exercises/04-mutex/mutex.ts'), lostWakeup);
    const { code, stdout } = await course(root, 'verify', '04-mutex');
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ .*\(race check\)/);
    expect(stdout).toMatch(/a lost wakeup/);
    expect(stdout).toMatch(/step +A \(worker\) +\| B \(worker\) +\| C \(process\)/);
    expect(stdout).toMatch(/replay: npm run course -- verify 04-mutex \(public seed \d/);
    expect(stdout, 'the trace is printed whole').not.toMatch(/more lines/);
    // The visible stress tests may hit the lost wakeup too, by luck; the race check
    // fails it every time, so that is all this asserts.
    expect(stdout).toMatch(/(\d+) of (\d+) visible tests pass/);
  });
});

// Each of these only starts the CLI and waits: run them side by side.
describe.concurrent('usage errors exit with code 2 and say what to do', () => {
  const root = makeCourse('usage');

  it('lists the exercise ids for an unknown id', { timeout: 60_000 }, async () => {
    const { code, stderr } = await course(root, 'verify', '99-nope');
    expect(code).toBe(2);
    expect(stderr).toMatch(/no exercise "99-nope"[\s\S]*03-spinlock[\s\S]*04-mutex/);
  });

  it('says where to run it when no course is found above the folder', {
    timeout: 60_000,
  }, async () => {
    const outside = mkdtempSync(join(tmpdir(), 'ipcc-not-a-course-'));
    const { code, stderr } = await course(outside, 'status');
    rmSync(outside, { recursive: true });
    expect(code).toBe(2);
    expect(stderr).toMatch(/no course here[\s\S]*Run the command from the course folder/);
  });

  it('refuses an unknown command or option', { timeout: 60_000 }, async () => {
    const [command, option] = await Promise.all([
      course(root, 'frobnicate'),
      course(root, 'hint', '--frob'),
    ]);
    expect([command.code, option.code]).toEqual([2, 2]);
    expect(command.stderr).toMatch(/unknown command "frobnicate"[\s\S]*Usage:/);
  });
});

describe('npm run course -- hint', () => {
  it('unfolds one more hint each run, stays on the last, and starts over with --reset', () => {
    const root = makeCourse('hints');
    const exercise = openCourse(root).exercises.find((e) => e.id === '04-mutex')!;
    const total = parseHints(
      readFileSync(join(root, 'exercises/04-mutex/hints.md'), 'utf8'),
    ).length;
    expect(total).toBeGreaterThanOrEqual(2);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const shown = (reset = false) => {
      log.mockClear();
      hint(openCourse(root), exercise, reset);
      return log.mock.calls.map((call) => String(call[0])).join('\n');
    };
    try {
      expect(shown()).toContain(`hint 1 of ${total}`);
      expect(shown()).toContain(`hint 2 of ${total}`);
      for (let i = 3; i <= total; i++) shown();
      expect(shown(), 'past the last hint').toMatch(
        new RegExp(`hint ${total} of ${total}[\\s\\S]*last hint`),
      );
      expect(shown(true)).toContain('start over');
      expect(shown()).toContain(`hint 1 of ${total}`);
    } finally {
      log.mockRestore();
    }
  });

  it('reads the ## Hint N sections, without the introduction', () => {
    expect(
      parseHints('# Hints\n\nRead one.\n\n## Hint 1\n\nfirst\n\n## Hint 2\n\nsecond\n'),
    ).toEqual(['first', 'second']);
  });
});

describe('starter-hashes.json', () => {
  // An exercise not listed yet is fine (status runs its tests instead); a listed
  // starter that changed would show an untouched exercise as failing.
  it('matches every starter it lists (after changing one: npm run course -- starters)', () => {
    const current = computeStarterHashes(openCourse(repoRoot));
    const recorded = loadStarterHashes();
    const stale = Object.keys(recorded).filter((file) => recorded[file] !== current[file]);
    expect(
      stale,
      'starters changed since their hash was recorded: run npm run course -- starters',
    ).toEqual([]);
    expect(Object.keys(recorded)).toEqual(
      expect.arrayContaining(['03-spinlock/spinlock.ts', '04-mutex/mutex.ts']),
    );
  });
});
