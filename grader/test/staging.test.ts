// Staging a submission: regular files only, links never followed, the whole
// submission measured by apparent size before anything is copied.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Exercise, givenFile, loadExercises } from '../src/registry.ts';
import { MAX_SUBMISSION_FILES, copyPlanned, planFolder } from '../src/staging.ts';
import { stageSubmission } from '../src/submission.ts';

const exercise = (id: string): Exercise => ({ id, title: id, lesson: '', files: ['mutex.ts'] });
const MUTEX = exercise('04-mutex');
const SEMAPHORE = exercise('05-semaphore');

let folders: string[] = [];
function submission(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ipcc-staging-test-'));
  folders.push(dir);
  mkdirSync(join(dir, '04-mutex'));
  mkdirSync(join(dir, '05-semaphore'));
  writeFileSync(join(dir, '04-mutex', 'mutex.ts'), 'export class Mutex {}\n');
  writeFileSync(join(dir, '05-semaphore', 'semaphore.ts'), 'export class Semaphore {}\n');
  return dir;
}

afterEach(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  folders = [];
});

function stage(dir: string) {
  const staged = stageSubmission(dir, [MUTEX, SEMAPHORE]);
  folders.push(staged.dir);
  return staged;
}

describe('stageSubmission', () => {
  it('copies regular files, nested folders too, and skips node_modules', () => {
    const dir = submission();
    mkdirSync(join(dir, '04-mutex', 'lib'));
    writeFileSync(join(dir, '04-mutex', 'lib', 'helper.ts'), 'export const x = 1;\n');
    mkdirSync(join(dir, '04-mutex', 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(join(dir, '04-mutex', 'node_modules', 'pkg', 'index.js'), '');
    const staged = stage(dir);
    expect(staged.refused.size).toBe(0);
    expect(readFileSync(join(staged.dir, '04-mutex', 'lib', 'helper.ts'), 'utf8')).toMatch(/x = 1/);
    expect(existsSync(join(staged.dir, '04-mutex', 'node_modules'))).toBe(false);
  });

  it("lays the course's given files over the submission's, even where it put a folder", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipcc-staging-test-'));
    folders.push(dir);
    for (const id of ['06-condition-variable', '22-request-reply']) mkdirSync(join(dir, id));
    writeFileSync(join(dir, '06-condition-variable', 'condvar.ts'), 'export {};\n');
    writeFileSync(
      join(dir, '06-condition-variable', 'mutex.ts'),
      'export class Mutex {} // mine\n',
    );
    mkdirSync(join(dir, '22-request-reply', 'mailbox.ts'));
    const course = loadExercises().filter((e) => e.given?.length);
    expect(course.map((e) => e.id)).toEqual(['06-condition-variable', '22-request-reply']);
    const staged = stageSubmission(dir, course);
    folders.push(staged.dir);
    expect(staged.refused.size).toBe(0);
    for (const e of course)
      for (const file of e.given!)
        expect(readFileSync(join(staged.dir, e.id, file), 'utf8'), `${e.id}/${file}`).toBe(
          readFileSync(givenFile(e.id, file), 'utf8'),
        );
    expect(readFileSync(join(staged.dir, '06-condition-variable', 'condvar.ts'), 'utf8')).toBe(
      'export {};\n',
    );
  });

  it('refuses an exercise holding a symbolic link, naming it, and never follows it', () => {
    const dir = submission();
    const secret = join(dir, 'outside.ts');
    writeFileSync(secret, 'the reference solution');
    rmSync(join(dir, '04-mutex', 'mutex.ts'));
    symlinkSync(secret, join(dir, '04-mutex', 'mutex.ts'));
    const staged = stage(dir);
    expect(staged.refused.get('04-mutex')).toBe(
      '04-mutex/mutex.ts is a symbolic link; the grader copies regular files only (submit the file itself)',
    );
    expect(existsSync(join(staged.dir, '04-mutex')), 'nothing of the exercise is staged').toBe(
      false,
    );
    expect(staged.refused.has('05-semaphore'), 'the other exercise is still graded').toBe(false);
    expect(existsSync(join(staged.dir, '05-semaphore', 'semaphore.ts'))).toBe(true);
  });

  it('refuses an exercise folder that is itself a link', () => {
    const dir = submission();
    rmSync(join(dir, '04-mutex'), { recursive: true });
    symlinkSync(join(dir, '05-semaphore'), join(dir, '04-mutex'));
    expect(stage(dir).refused.get('04-mutex')).toMatch(/^04-mutex is a symbolic link/);
  });

  it('refuses a FIFO without opening it (which would block)', () => {
    const dir = submission();
    execFileSync('mkfifo', [join(dir, '04-mutex', 'pipe')]);
    expect(stage(dir).refused.get('04-mutex')).toMatch(/04-mutex\/pipe is a FIFO/);
  });

  it('refuses a 2 GB sparse file at its apparent size, at once, before copying anything', () => {
    const dir = submission();
    writeFileSync(join(dir, '05-semaphore', 'big.bin'), '');
    truncateSync(join(dir, '05-semaphore', 'big.bin'), 2 * 1024 ** 3);
    const started = performance.now();
    const staged = stage(dir);
    expect(performance.now() - started).toBeLessThan(1000);
    const reason = staged.refused.get('04-mutex');
    expect(reason).toMatch(/holds 2048\.0 MiB .*the largest file is 05-semaphore\/big\.bin/);
    expect(staged.refused.get('05-semaphore'), 'the whole submission is refused').toBe(reason);
    expect(existsSync(join(staged.dir, '04-mutex'))).toBe(false);
  });

  it('refuses more files than the cap', () => {
    const dir = submission();
    for (let i = 0; i <= MAX_SUBMISSION_FILES; i++)
      writeFileSync(join(dir, '04-mutex', `f${i}.ts`), '');
    expect(stage(dir).refused.get('04-mutex')).toMatch(/more than 500 files/);
  });
});

describe('copyPlanned', () => {
  it('refuses a file swapped for a link after it was listed', () => {
    const dir = submission();
    const [file] = planFolder(dir, '04-mutex');
    rmSync(join(dir, file.path));
    symlinkSync('/etc/hostname', join(dir, file.path));
    const into = mkdtempSync(join(tmpdir(), 'ipcc-staging-test-'));
    folders.push(into);
    expect(() => copyPlanned(dir, file, into)).toThrow(/is a symbolic link/);
  });
});
