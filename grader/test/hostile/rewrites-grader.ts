// HOSTILE: rewrites the hidden suite's points file while loading (here harmlessly:
// trailing spaces), as a first step to changing its own score. Otherwise it is
// the reference solution, so only the tampering can cost it points.
import { appendFileSync, existsSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';

const points = `${process.cwd()}/grader/suites/04-mutex/points.json`;
if (existsSync(points)) appendFileSync(points, '   ');

// The course's own files are one symlink away: node_modules points into the repository.
const repository = dirname(realpathSync(`${process.cwd()}/node_modules`));
const reference = await import(`${repository}/solutions/04-mutex/mutex.ts`);
export const Mutex = reference.Mutex;
