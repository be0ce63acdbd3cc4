// HOSTILE: the reference solution, plus a replaced performance.now and Math.max,
// the kind of patch that could fake a timing check. Every test must fail for
// tampering, although the mutex itself is correct.
const realNow = performance.now.bind(performance);
performance.now = () => realNow();
Math.max = (...values: number[]) => values.reduce((a, b) => (a > b ? a : b), -Infinity);

const reference = await import(`${process.cwd()}/solutions/04-mutex/mutex.ts`);
export const Mutex = reference.Mutex;
