// Loaded into the submission's object host by suite-kit's timedInHost and
// timedRepeatInHost: times calls where they run, so that the round trip between
// the suite and the submission's process (tens of ms on a loaded machine) is
// not counted. The grader's own code, running beside the submission: it only
// reads the clock and calls the method it is given.

function methodOf(
  target: Record<string, unknown>,
  method: string,
): (...args: unknown[]) => unknown {
  const call = target[method];
  if (typeof call !== 'function') throw new TypeError(`${method} is not a function`);
  return call as (...args: unknown[]) => unknown;
}

/** Calls target[method](...args) and times it; a throw passes through. */
export function timeCall(
  target: Record<string, unknown>,
  method: string,
  args: unknown[],
): { value: unknown; elapsedMs: number } {
  const call = methodOf(target, method);
  const start = performance.now();
  const value = Reflect.apply(call, target, args);
  return { value, elapsedMs: performance.now() - start };
}

/**
 * Calls target[method](...args) `times` times and times them all; returns how
 * many calls returned each value (by its String()), not every value, so that
 * the answer stays small.
 */
export function timeCalls(
  target: Record<string, unknown>,
  method: string,
  args: unknown[],
  times: number,
): { results: Record<string, number>; elapsedMs: number } {
  const call = methodOf(target, method);
  const results: Record<string, number> = {};
  const start = performance.now();
  for (let i = 0; i < times; i++) {
    const key = String(Reflect.apply(call, target, args));
    results[key] = (results[key] ?? 0) + 1;
  }
  return { results, elapsedMs: performance.now() - start };
}
