// The student copy holds what learners need and nothing an instructor withholds;
// grading there runs the visible tests and says the hidden ones are the instructor's.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { writeGradescopeBundle } from '../course/gradescope.ts';
import { listFiles, writeRelease } from '../course/release.ts';
import { repoRoot } from '../src/registry.ts';

const out = mkdtempSync(join(tmpdir(), 'ipcc-release-'));
const release = join(out, 'course');
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run course -- release', () => {
  const files = writeRelease(release);

  it('withholds solutions, hidden suites, the corpus and the grader self-tests', () => {
    expect(
      files.filter((f) => /^(solutions|grader\/(suites|corpus|test|bench))\//.test(f)),
    ).toEqual([]);
    const solutionTexts = listFiles(join(repoRoot, 'solutions')).map((f) =>
      readFileSync(join(repoRoot, 'solutions', f), 'utf8'),
    );
    const leaked = files
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => solutionTexts.includes(readFileSync(join(release, f), 'utf8')));
    // Provided helper files (e.g. a mutex a later exercise builds on) are the same in both trees by design.
    expect(leaked.filter((f) => !f.startsWith('exercises/') || f.endsWith('.test.ts'))).toEqual([]);
  });

  it('keeps lessons, the shim sources, every exercise with its starter and visible tests', () => {
    for (const path of [
      'README.md',
      'package.json',
      'native/index.ts',
      'native/binding.gyp',
      'exercises/course.json',
      'exercises/04-mutex/mutex.ts',
      'exercises/04-mutex/mutex.test.ts',
      'exercises/04-mutex/race.test.ts',
      'exercises/04-mutex/race-actors.ts',
      'grader/harness/schedule/race-check.ts',
      'lessons/04-mutex.md',
      'grader/cli.ts',
      '.devcontainer/Dockerfile',
      '.devcontainer/devcontainer.json',
      'scripts/setup-debian.sh',
    ]) {
      expect(files).toContain(path);
    }
    const scripts = JSON.parse(readFileSync(join(release, 'package.json'), 'utf8'))
      .scripts as Record<string, string>;
    expect(Object.keys(scripts)).toEqual(
      expect.arrayContaining(['install', 'test', 'grade', 'course']),
    );
    expect(Object.keys(scripts)).not.toContain('bench');
  });

  it("grades with the visible tests and the race check there, and says the hidden suites are the instructor's", {
    timeout: 180_000,
  }, () => {
    symlinkSync(join(repoRoot, 'node_modules'), join(release, 'node_modules'), 'dir');
    cpSync(join(repoRoot, 'native/build'), join(release, 'native/build'), { recursive: true });
    // A mutex right but for a lost wakeup (unlock loads, then stores 0): only the race check sees it.
    const lostWakeup = readFileSync(join(repoRoot, 'solutions/04-mutex/mutex.ts'), 'utf8').replace(
      'const previous = this.segment.exchange(cell, UNLOCKED);',
      'const previous = this.segment.load(cell);\n    if (previous !== UNLOCKED) this.segment.store(cell, UNLOCKED);',
    );
    writeFileSync(join(release, 'exercises/04-mutex/mutex.ts'), lostWakeup);
    const tsx = join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
    const result = spawnSync(
      process.execPath,
      [tsx, 'grader/cli.ts', 'exercises', '--exercise', '04-mutex', '--format', 'json'],
      { cwd: release, encoding: 'utf8', timeout: 170_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/hidden suites are your instructor's/);
    const report = JSON.parse(result.stdout) as {
      score: number;
      maxScore: number;
      exercises: { tests: { name: string; status: string; message?: string }[] }[];
    };
    const visibleNames = ['mutex.test.ts', 'race.test.ts']
      .map((file) => readFileSync(join(release, 'exercises/04-mutex', file), 'utf8'))
      .join('\n');
    expect(report.exercises[0].tests.length).toBeGreaterThan(1);
    for (const test of report.exercises[0].tests) expect(visibleNames).toContain(test.name);
    const failed = report.exercises[0].tests.filter((t) => t.status !== 'passed');
    expect(
      failed.map((t) => t.name),
      'the race check alone fails a lost wakeup',
    ).toEqual([expect.stringMatching(/\(race check\)$/)]);
    expect(failed[0].message).toMatch(
      /a lost wakeup[\s\S]*replay: npm run course -- verify 04-mutex/,
    );
  });
});

describe('npm run course -- gradescope', () => {
  it('bundles setup.sh and run_autograder (executable) with the course and its hidden suites', () => {
    const zip = join(out, 'autograder.zip');
    writeGradescopeBundle(zip);
    const entries = unzipSync(readFileSync(zip));
    const names = Object.keys(entries);
    expect(names).toEqual(
      expect.arrayContaining([
        'setup.sh',
        'run_autograder',
        'source/package.json',
        'source/grader/suites/04-mutex/mutex.test.ts',
      ]),
    );
    expect(
      names.filter((n) => /node_modules\/|native\/build\/|\.git\/|^source\/\.ci\/node\//.test(n)),
    ).toEqual([]);
    expect(new TextDecoder().decode(entries['run_autograder'])).toContain('--format gradescope');
  });
});
