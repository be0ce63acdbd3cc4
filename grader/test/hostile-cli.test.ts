// Hostile submissions that attack the grade command itself: its --out folder,
// its process, its batch. Each runs the real command (npm run grade's
// grader/cli.ts) in a process of its own, so that killing or stopping "the
// grader" hits that process, never this test. Unconfined, these attacks work
// (and a batch entry would rewrite other tests' staged copies), so each runs
// only where a layer that stops it is in force.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/registry.ts';
import {
  type CourseState,
  courseChanges,
  courseState,
  hostileProcesses,
  type Layer,
  layersInForce,
} from './hostile/course-state.ts';

const ID = '04-mutex';
const CONTRACT = 'follows the contract on one thread: init, tryLock, unlock, EPERM';
const layers = layersInForce();
const confined: Layer[] = ['uid', 'namespaces'];
const runs = confined.some((layer) => layers.includes(layer));

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the grade command; past `limitMs` it is continued (if stopped) and killed, and the test fails on that. */
function grade(args: string[], limitMs: number): Promise<Outcome> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'grader/cli.ts', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const limit = setTimeout(() => {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }, limitMs);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    }),
  );
}

function submissionWith(entry: string, root = mkdtempSync(join(tmpdir(), 'ipcc-hostile-cli-'))) {
  mkdirSync(join(root, ID), { recursive: true });
  copyFileSync(new URL(`./hostile/${entry}`, import.meta.url), join(root, ID, 'mutex.ts'));
  return root;
}

describe.skipIf(!runs)('hostile submissions against the grade command', () => {
  let before: CourseState;
  const folders: string[] = [];
  beforeAll(() => {
    before = courseState();
  });
  afterAll(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
    expect(hostileProcesses()).toEqual([]);
    expect(courseChanges(before, courseState()), 'the course tree is byte-identical').toEqual([]);
  });

  it.concurrent('out-then-kill.ts: no forged result file is left to upload', {
    timeout: 90_000,
  }, async () => {
    const dir = submissionWith('out-then-kill.ts');
    const out = join(dir, 'out');
    folders.push(dir);
    const result = await grade(
      [dir, '--exercise', ID, '--test', CONTRACT, '--format', 'gradescope,json', '--out', out],
      60_000,
    );
    expect(result.signal, 'the grader was not killed').toBeNull();
    expect(result.code, result.stderr).toBe(0);
    const gradescope = JSON.parse(readFileSync(join(out, 'gradescope.json'), 'utf8'));
    expect(gradescope.score).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).score).toBe(0);
  });

  it.concurrent('stops-grader.ts: the grader cannot be stopped, and finishes in time', {
    timeout: 90_000,
  }, async () => {
    const dir = submissionWith('stops-grader.ts');
    folders.push(dir);
    const result = await grade(
      [dir, '--exercise', ID, '--test', CONTRACT, '--format', 'json'],
      60_000,
    );
    expect(result.signal, 'the grader ended on its own').toBeNull();
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).score).toBe(0);
  });

  it.concurrent('batch-neighbour.ts: a classmate is graded on their own files', {
    timeout: 120_000,
  }, async () => {
    const batch = mkdtempSync(join(tmpdir(), 'ipcc-hostile-batch-'));
    folders.push(batch);
    submissionWith('batch-neighbour.ts', join(batch, 'a-hostile'));
    mkdirSync(join(batch, 'b-honest', ID), { recursive: true });
    const honest = join(batch, 'b-honest', ID, 'mutex.ts');
    copyFileSync(join(repoRoot, 'solutions', ID, 'mutex.ts'), honest);
    const out = join(batch, 'gradebook.csv');
    // One at a time: the hostile folder sorts first, so unconfined it rewrites b before b is staged.
    const result = await grade(
      ['--batch', batch, '--exercise', ID, '--test', CONTRACT, '--jobs', '1', '--out', out],
      100_000,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(honest, 'utf8'), "b's folder is untouched").toBe(
      readFileSync(join(repoRoot, 'solutions', ID, 'mutex.ts'), 'utf8'),
    );
    const reports = join(batch, 'gradebook-reports');
    const b = JSON.parse(readFileSync(join(reports, 'b-honest.results.json'), 'utf8'));
    expect(b.exercises[0].tests.find((t: { name: string }) => t.name === CONTRACT)).toMatchObject({
      status: 'passed',
    });
    expect(readdirSync(reports).sort()).toEqual([
      'a-hostile.results.json',
      'b-honest.results.json',
    ]);
  });
});
