// Histories: what each actor did to a shared object and when, as the
// linearizability checker (linearizability.ts) reads them. One Operation per
// completed call, shaped like porcupine's Operation.
//
// The clock. Timestamps are process.hrtime.bigint(), which Node reads with
// libuv's uv_hrtime(), i.e. clock_gettime(CLOCK_MONOTONIC) on Linux. That clock
// is one per machine, not per process or thread: every worker thread and child
// process on the machine reads the same counter (nanoseconds since boot), so
// an operation recorded in a worker and one recorded in a child process sit on
// one time axis. (Unless an actor runs in its own time namespace, unshare -T,
// which offsets CLOCK_MONOTONIC: sandboxes must not create one.) The other clocks do not: performance.now() counts from each
// thread's own timeOrigin, and Date.now() is wall time, which NTP may step
// backwards. (grader/test/linearizability.test.ts checks the claim: a worker
// and a process hand a token back and forth, and every hand-off is ordered by
// the timestamps.)
//
// Numbers, not bigints, so a history survives postMessage and the JSON a child
// process sends its parent. Nanoseconds since boot stay below 2^53 for the
// first 104 days of uptime; after that Number() rounds to 2, 4, ... ns. The
// rounding never reorders two readings, it may only make them equal, and equal
// readings count as overlapping (next paragraph), so it never turns a correct
// history into an illegal one.
//
// Closed intervals. `call` is read before the operation starts and `return`
// after it finishes, so the operation took effect at some instant inside
// [call, return]. If A.return equals B.call, on two threads, we cannot tell
// which reading came first in real time, so A and B may have taken effect in
// either order: the checker treats touching intervals as overlapping. Only
// A.return < B.call proves that A took effect before B.

/** One completed call: `input` invoked at `call`, `output` returned at `return` (ns, CLOCK_MONOTONIC). */
export interface Operation<I, O> {
  clientId: string;
  input: I;
  call: number;
  output: O;
  return: number;
}

export type History<I, O> = Operation<I, O>[];

/** Now, in nanoseconds on the machine-wide monotonic clock (see the header). */
export function monotonicNow(): number {
  return Number(process.hrtime.bigint());
}

/**
 * Records the operations of one client (one actor, calling one at a time).
 * An actor returns `rec.operations` as its result; the suite concatenates the
 * actors' lists into one history.
 *
 * A call that throws is not recorded and the error propagates: its effect on
 * the object is unknown, so the actor's error, not the checker, must fail the
 * test. (Checking histories with such indeterminate operations is left open.)
 */
export class HistoryRecorder<I = unknown, O = unknown> {
  /** Completed operations in call order; plain data, safe to post or send. */
  readonly operations: Operation<I, O>[] = [];

  constructor(readonly clientId: string) {}

  record<R extends O>(input: I, perform: () => R): R {
    const call = monotonicNow();
    const output = perform();
    this.operations.push({ clientId: this.clientId, input, call, output, return: monotonicNow() });
    return output;
  }

  async recordAsync<R extends O>(input: I, perform: () => Promise<R>): Promise<R> {
    const call = monotonicNow();
    const output = await perform();
    this.operations.push({ clientId: this.clientId, input, call, output, return: monotonicNow() });
    return output;
  }
}

/**
 * Checks the shape of what actors sent back (an actor runs submission code,
 * which may return anything) and joins their operations into one history.
 * Throws a TypeError naming the actor and the offending entry.
 */
export function joinHistories<I, O>(results: unknown[]): History<I, O> {
  const history: History<I, O> = [];
  results.forEach((result, actor) => {
    if (!Array.isArray(result))
      throw new TypeError(
        `joinHistories: actor ${actor} returned ${typeof result}, expected an array of operations`,
      );
    let previousReturn = -Infinity;
    for (const [index, op] of result.entries()) {
      const ok =
        op !== null &&
        typeof op === 'object' &&
        typeof op.clientId === 'string' &&
        Number.isFinite(op.call) &&
        Number.isFinite(op.return) &&
        op.call <= op.return;
      if (!ok)
        throw new TypeError(
          `joinHistories: actor ${actor}, operation ${index} is not an Operation: ${JSON.stringify(op)}`,
        );
      // A client calls one operation at a time; overlapping entries mean a broken recorder.
      if (op.call < previousReturn)
        throw new TypeError(
          `joinHistories: actor ${actor}, operation ${index} starts before the previous one returned`,
        );
      previousReturn = op.return;
      history.push(op as Operation<I, O>);
    }
  });
  return history;
}
