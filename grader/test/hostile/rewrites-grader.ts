// HOSTILE: rewrites the hidden suite's points file while loading (here harmlessly:
// trailing spaces), as a first step to changing its own score. Otherwise it is
// the reference solution, so only the tampering can cost it points.
import { appendFileSync, existsSync } from 'node:fs';

const points = `${process.cwd()}/grader/suites/04-mutex/points.json`;
if (existsSync(points)) appendFileSync(points, '   ');

const reference = await import(`${process.cwd()}/solutions/04-mutex/mutex.ts`);
export const Mutex = reference.Mutex;
