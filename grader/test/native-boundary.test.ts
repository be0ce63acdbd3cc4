// The shim's public API is the learner's: a submission that imports the
// grader's side of the shim (native/internal.ts, or any native/ file but
// index.ts) fails to load with EACCES, in an actor (Node's resolve hook) and in
// the suite's own process (vite), while the grader's own files import it freely.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeRegExp } from '../src/corpus.ts';
import { gradeSubmission } from '../src/grade.ts';
import { repoRoot } from '../src/registry.ts';

const internal = pathToFileURL(join(repoRoot, 'native/internal.ts')).href;
const register = pathToFileURL(join(repoRoot, 'native/runtime/register.mjs')).href;
const REFUSAL =
  /EACCES .*a file of the grader's side of the shim: a submission imports '@ipc-course\/shim' only/;
const CONTRACT = 'follows the contract on one thread: init, tryLock, unlock, EPERM';

const scratch = mkdtempSync(join(tmpdir(), 'ipcc-boundary-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A submission folder as the grader stages it: ESM, one exercise folder. */
function submission(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return dir;
}

/** Imports `file` in a fresh Node with the shim's loaders, as an actor does; its outcome in one line. */
function loadInActor(submissionDir: string, file: string): string {
  const probe = `import(${JSON.stringify(pathToFileURL(file).href)}).then(
    (m) => console.log('loaded', Object.keys(m).join(',')),
    (e) => console.log(e.code, e.message))`;
  return execFileSync(
    process.execPath,
    ['--import', register, '--input-type=module', '-e', probe],
    {
      env: { ...process.env, IPC_SUBMISSION_DIR: submissionDir },
      encoding: 'utf8',
    },
  ).trim();
}

describe('a submission importing the shim', () => {
  const dir = submission('actor', {
    '04-mutex/mutex.ts': `import { becomeSubreaper } from '${internal}';\nexport const x = becomeSubreaper;\n`,
    '04-mutex/public.ts': `import { Segment } from '@ipc-course/shim';\nexport const x = Segment;\n`,
    '04-mutex/binding.ts': `import { native } from '${pathToFileURL(join(repoRoot, 'native/binding.ts')).href}';\nexport const x = native;\n`,
    '.trusted-04-mutex/grader/harness/entry.ts': `import { becomeSubreaper } from '${internal}';\nexport const x = becomeSubreaper;\n`,
  });

  it('fails to load in an actor when it imports native/internal.ts or another native file', () => {
    expect(loadInActor(dir, join(dir, '04-mutex/mutex.ts'))).toMatch(REFUSAL);
    expect(loadInActor(dir, join(dir, '04-mutex/binding.ts'))).toMatch(REFUSAL);
  });

  it('loads when it imports @ipc-course/shim, and the grader’s staged copy imports internals', () => {
    expect(loadInActor(dir, join(dir, '04-mutex/public.ts'))).toBe('loaded x');
    expect(loadInActor(dir, join(dir, '.trusted-04-mutex/grader/harness/entry.ts'))).toBe(
      'loaded x',
    );
  });

  it('fails to load when graded (in the object host, whatever copy of native/ it names), and it scores 0', {
    timeout: 90_000,
  }, async () => {
    const solution = readFileSync(join(repoRoot, 'solutions/04-mutex/mutex.ts'), 'utf8');
    const dir = submission('graded', {
      '04-mutex/mutex.ts': `import { becomeSubreaper } from '${internal}';\nbecomeSubreaper();\n${solution}`,
    });
    const report = await gradeSubmission(dir, {
      exercises: ['04-mutex'],
      testNamePattern: `${escapeRegExp(CONTRACT)}$`,
    });
    const exercise = report.exercises[0];
    expect(exercise.score).toBe(0);
    // Refused by the boundary, or (with namespaces) not even there to find.
    expect(`${exercise.error ?? ''} ${exercise.tests.map((t) => t.message).join(' ')}`).toMatch(
      /a file of the grader's side of the shim|Cannot find module '[^']*native\/internal\.ts'/,
    );
  });
});
