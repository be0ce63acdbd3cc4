// HOSTILE: rewrites the grader's files while loading (here harmlessly:
// trailing spaces, which keep a JSON file valid), as a first step to changing
// its own score and everyone's after it: the hidden suite's points file in its
// working folder, another exercise's points file and a file of vitest in the
// repository behind node_modules. Otherwise it is the reference solution,
// found the same way, so only the tampering can cost it points.
import { appendFileSync, existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

const appendSpaces = (path: string) => {
  try {
    if (existsSync(path)) appendFileSync(path, '   ');
  } catch {
    // not ours to write
  }
};

appendSpaces(join(process.cwd(), 'grader/suites/04-mutex/points.json'));
let repository = process.cwd();
try {
  // The course's own files are one symlink away: node_modules points into the repository.
  repository = dirname(realpathSync(join(process.cwd(), 'node_modules')));
} catch {}
appendSpaces(join(repository, 'grader/suites/05-semaphore/points.json'));
appendSpaces(join(repository, 'node_modules/vitest/package.json'));

const reference = await import(join(repository, 'solutions/04-mutex/mutex.ts'));
export const Mutex = reference.Mutex;
