// HOSTILE: the reference solution, plus a replaced performance.now and Math.max,
// the kind of patch that could fake a timing check. Every test must fail for
// tampering, although the mutex itself is correct.
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';

const realNow = performance.now.bind(performance);
performance.now = () => realNow();
Math.max = (...values: number[]) => values.reduce((a, b) => (a > b ? a : b), -Infinity);

// The course's own files are one symlink away: node_modules points into the repository.
const repository = dirname(realpathSync(`${process.cwd()}/node_modules`));
const reference = await import(`${repository}/solutions/04-mutex/mutex.ts`);
export const Mutex = reference.Mutex;
