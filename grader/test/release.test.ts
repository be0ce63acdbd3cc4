// The student copy holds what learners need and nothing an instructor withholds;
// grading there runs the visible tests and says the hidden ones are the instructor's.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { writeGradescopeBundle } from '../course/gradescope.ts';
import { listFiles, studentReadme, writeRelease } from '../course/release.ts';
import { repoRoot } from '../src/registry.ts';
import { loadAssignment } from '../src/assignment/assignment.ts';
import { twoExercises } from './fixtures/assignments.ts';

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
    // The race check fails it every time (the visible stress tests only by luck).
    const raceCheck = failed.find((t) => /\(race check\)$/.test(t.name));
    expect(raceCheck, `failed: ${failed.map((t) => t.name).join('; ')}`).toBeDefined();
    expect(raceCheck!.message).toMatch(
      /a lost wakeup[\s\S]*replay: npm run course -- verify 04-mutex/,
    );
  });
});

describe('the student README', () => {
  const readme = readFileSync(join(release, 'README.md'), 'utf8');

  it("keeps the learners' parts and leaves out the instructors'", () => {
    expect(readme).toContain('## For learners');
    expect(readme).toContain('## The shim in one page');
    expect(readme).not.toMatch(/## For instructors|## For CI|<!-- \/?instructors -->/);
  });

  it('names no command or file the student copy does not have', () => {
    const scripts = Object.keys(
      JSON.parse(readFileSync(join(release, 'package.json'), 'utf8')).scripts as object,
    );
    for (const [, script] of readme.matchAll(/npm run ([\w:-]+)/g))
      expect(scripts, `README runs "npm run ${script}"`).toContain(script);
    for (const [, target] of readme.matchAll(/\]\(([^)#:]+)\)/g))
      expect(listFiles(release), `README links to ${target}`).toContain(target);
  });

  it('refuses a README whose instructors-only marks do not pair up', () => {
    expect(() => studentReadme('a\n<!-- instructors -->\nb\n')).toThrow(/each part needs both/);
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

describe('--assignment FILE', () => {
  const assignment = twoExercises(join(out, 'assignments'), { level: 'names', when: 'at-once' });
  const chosen = ['04-mutex', '05-semaphore'];

  it('release: every lesson, and exactly the assignment’s exercises, listed in course.json', () => {
    const copy = join(out, 'assigned');
    const files = writeRelease(copy, assignment);
    const exercises = new Set(
      files.filter((f) => f.startsWith('exercises/')).map((f) => f.split('/')[1]),
    );
    expect([...exercises].sort()).toEqual([...chosen, 'course.json']);
    const course = JSON.parse(readFileSync(join(copy, 'exercises/course.json'), 'utf8'));
    expect(course.exercises.map((e: { id: string }) => e.id)).toEqual(chosen);
    expect(files).toContain('exercises/04-mutex/mutex.test.ts');
    const lessons = (root: string) => listFiles(join(root, 'lessons')).sort();
    expect(lessons(copy)).toEqual(lessons(repoRoot));
    expect(readFileSync(join(copy, 'COURSE_VERSION'), 'utf8')).toMatch(/^(commit|package) /);
  });

  it('release: the README’s example exercise is one the copy has', () => {
    const later = loadAssignment(join(repoRoot, 'assignments/second-half.json'));
    const copy = join(out, 'second-half');
    const files = writeRelease(copy, later);
    const readme = readFileSync(join(copy, 'README.md'), 'utf8');
    expect(readme).toContain('npm run course -- verify 18-mailbox');
    for (const [, target] of readme.matchAll(/\]\(([^)#:]+)\)/g))
      expect(files, `README links to ${target}`).toContain(target);
  });

  it('gradescope: a bundle that grades exactly the assignment’s exercises, with its file', () => {
    const zip = join(out, 'assigned.zip');
    writeGradescopeBundle(zip, assignment);
    const entries = unzipSync(readFileSync(zip));
    const suites = new Set(
      Object.keys(entries)
        .filter((n) => n.startsWith('source/grader/suites/'))
        .map((n) => n.split('/')[3]),
    );
    expect([...suites].sort()).toEqual(chosen);
    const bundled = `assignments/${basename(assignment.file)}`;
    const run = new TextDecoder().decode(entries.run_autograder);
    expect(run).toContain(`--assignment ${bundled} --sandbox strict --format gradescope`);
    expect(new TextDecoder().decode(entries[`source/${bundled}`])).toBe(
      readFileSync(assignment.file, 'utf8'),
    );
    expect(new TextDecoder().decode(entries['source/COURSE_VERSION'])).toMatch(
      /^(commit|package) /,
    );
  });

  it('gradescope: the unpacked bundle grades an empty upload: every assigned exercise 0, not submitted', {
    timeout: 120_000,
  }, () => {
    const zip = join(out, 'assigned-run.zip');
    writeGradescopeBundle(zip, assignment);
    const source = join(out, 'unpacked');
    for (const [name, bytes] of Object.entries(unzipSync(readFileSync(zip)))) {
      if (!name.startsWith('source/') || name.endsWith('/')) continue;
      mkdirSync(dirname(join(out, 'unpacked', name.slice(7))), { recursive: true });
      writeFileSync(join(source, name.slice(7)), bytes);
    }
    symlinkSync(join(repoRoot, 'node_modules'), join(source, 'node_modules'), 'dir');
    cpSync(join(repoRoot, 'native/build'), join(source, 'native/build'), { recursive: true });
    const empty = join(out, 'empty-upload');
    mkdirSync(empty);
    const results = join(out, 'bundle-results');
    const run = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'node_modules/tsx/dist/cli.mjs'),
        'grader/cli.ts',
        empty,
        '--assignment',
        `assignments/${basename(assignment.file)}`,
        '--format',
        'gradescope',
        '--out',
        results,
      ],
      { cwd: source, encoding: 'utf8', timeout: 110_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const graded = JSON.parse(readFileSync(join(results, 'gradescope.json'), 'utf8'));
    expect(graded.score).toBe(0);
    expect(graded.output, 'the same file and suites: the same hash').toContain(assignment.hash);
    expect(graded.tests.map((t: { name: string }) => t.name)).toEqual(
      chosen.map((id) => `${id}: could not be graded`),
    );
    for (const test of graded.tests) expect(test.visibility).toBe('visible');
    expect(graded.output).toMatch(/04-mutex: not submitted: no folder 04-mutex\//);
  });
});
