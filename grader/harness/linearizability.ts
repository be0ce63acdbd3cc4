// Linearizability checker: is there one order of a history's operations that
// respects real time (A before B whenever A.return < B.call) and that the
// model's sequential specification accepts, output by output? The algorithm
// only; models live in models/, pictures in timeline.ts. After porcupine.
//
// Search: Wing & Gong's, in Lowe's "just-in-time" form with memoisation
// (Lowe, "Testing for linearizability", 2017; porcupine's checkSingle). The
// calls and returns, sorted by time, form a linked list. Walking it from the
// head, the search may linearize any operation whose call it meets before the
// first return still in the list (those are the operations that could take
// effect next); linearizing one removes its call and return and starts again
// at the head. Meeting the return of an operation not yet linearized is a dead
// end: undo the last choice and try the next candidate. Each (set of
// linearized operations, model state) pair is explored once: a second visit
// can only fail the way the first did. Worst case exponential (k operations
// all overlapping can be ordered k! ways); with c clients calling one
// operation at a time, at most c operations are candidates at any point, and
// a correct history of a small queue stays near-linear (benchmark:
// linearizability-bench.ts). Bounded by wall time (timeoutMs) and by memory
// (maxStates memoised pairs).
//
// Verdicts: 'ok', 'illegal', or 'unknown' when a budget ran out. 'unknown' is
// never a pass. After 'illegal', a binary search over time finds the
// smallest prefix of the history that is already illegal; the operations
// around its end are the window timeline.ts draws.
import type { History, Operation } from './history.ts';
import type { Model } from './models/model.ts';

export type Verdict = 'ok' | 'illegal' | 'unknown';

export interface CheckOptions {
  /** Wall time for the verdict; finding the failing window may take as long again. Default 5000. */
  timeoutMs?: number;
  /** Memoised (set, state) pairs before giving up with 'unknown': bounds memory (~200 B each). Default 500,000. */
  maxStates?: number;
  /** Operations shown before the failing one's interval in the window. Default 6. */
  context?: number;
}

/** Where an illegal history stops being explicable, small enough to draw (timeline.ts). */
export interface FailingWindow<I, O> {
  /** The operation at whose return every linearization of the history so far has failed. */
  failing: Operation<I, O>;
  /** The failing operation, the operations overlapping it, and `context` before it, by call time. */
  operations: Operation<I, O>[];
  /** Operations of the smallest illegal prefix left out of `operations`. */
  omitted: number;
  /** False when the search for the smallest prefix ran out of time (then it is the smallest found by then). */
  smallest: boolean;
  /** Time the search for the window took (part of the result's elapsedMs). */
  elapsedMs: number;
}

export interface CheckResult<I, O> {
  verdict: Verdict;
  elapsedMs: number;
  /** (set, state) pairs memoised, over all partitions: the search's work. */
  states: number;
  partitions: number;
  /** Why 'unknown': which budget ran out. */
  reason?: string;
  window?: FailingWindow<I, O>;
}

interface Search {
  verdict: Verdict;
  states: number;
  reason?: string;
}

/**
 * The search on one history. An operation with return = Infinity is pending:
 * it may be linearized (with its recorded output) or left out, as the
 * definition of linearizability allows for calls that have not returned.
 */
function search<S, I, O>(
  model: Model<S, I, O>,
  ops: History<I, O>,
  deadline: number,
  maxStates: number,
): Search {
  const stateKey = model.key ?? ((state: S) => JSON.stringify(state));
  // Entries 0..2n-1 are events; HEAD and TAIL are sentinels of the list.
  const events: { op: number; isCall: boolean; time: number }[] = [];
  ops.forEach((op, i) => {
    events.push({ op: i, isCall: true, time: op.call });
    if (op.return !== Infinity) events.push({ op: i, isCall: false, time: op.return });
  });
  // Closed intervals: at equal times a call sorts before a return, so touching operations overlap.
  events.sort((a, b) => a.time - b.time || Number(b.isCall) - Number(a.isCall) || a.op - b.op);
  const count = events.length;
  const HEAD = count;
  const TAIL = count + 1;
  const next = new Int32Array(count + 2);
  const prev = new Int32Array(count + 2);
  const returnOf = new Int32Array(ops.length).fill(-1); // op -> its return entry, -1 if pending
  for (let e = 0; e < count; e++) {
    next[e] = e + 1 < count ? e + 1 : TAIL;
    prev[e] = e > 0 ? e - 1 : HEAD;
    if (!events[e].isCall) returnOf[events[e].op] = e;
  }
  next[HEAD] = count > 0 ? 0 : TAIL;
  prev[TAIL] = count > 0 ? count - 1 : HEAD;
  // Dancing links: an unlinked entry keeps its own pointers, so undoing in
  // reverse order (LIFO, as the stack guarantees) puts it back exactly.
  const unlink = (e: number) => ((next[prev[e]] = next[e]), (prev[next[e]] = prev[e]));
  const relink = (e: number) => ((next[prev[e]] = e), (prev[next[e]] = e));

  const words = Math.ceil(ops.length / 32);
  const linearized = new Uint32Array(words); // bitset of linearized ops
  // Memo: (set hash, state key) -> where the exact bitsets seen with that key
  // start in `pool` (copies packed in one array: 4 bytes per 32 ops each). The
  // hash (Zobrist: XOR of a fixed pseudo-random word per linearized op, kept
  // up to date by flip) only picks the bucket; equal bitsets decide, so a
  // collision costs time, never a wrong verdict.
  const zobrist = new Uint32Array(ops.length).map(
    (_, i) => Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(i + 7, 0x85ebca6b),
  );
  let setHash = 0;
  const flip = (op: number) => ((linearized[op >> 5] ^= 1 << (op & 31)), (setHash ^= zobrist[op]));
  const seen = new Map<string, number[]>();
  let pool = new Uint32Array(words * 1024);
  let size = 0; // memoised pairs; pool holds size * words words
  const sameSet = (at: number) => {
    for (let i = 0; i < words; i++) if (pool[at + i] !== linearized[i]) return false;
    return true;
  };
  const remember = (): number => {
    if ((size + 1) * words > pool.length) {
      const bigger = new Uint32Array(pool.length * 2);
      bigger.set(pool);
      pool = bigger;
    }
    pool.set(linearized, size * words);
    return size++ * words;
  };
  const stack: { entry: number; state: S }[] = [];
  let unfinished = ops.filter((op) => op.return !== Infinity).length; // completed ops not yet linearized
  let state = model.init();
  let entry = next[HEAD];
  for (let steps = 0; unfinished > 0; steps++) {
    if ((steps & 1023) === 0 && performance.now() > deadline)
      return { verdict: 'unknown', states: size, reason: 'timeout' };
    if (entry !== TAIL && events[entry].isCall) {
      const op = events[entry].op;
      const [ok, after] = model.step(state, ops[op].input, ops[op].output);
      if (ok) {
        flip(op);
        const key = `${setHash} ${stateKey(after)}`;
        const bucket = seen.get(key);
        if (!bucket?.some(sameSet)) {
          if (size >= maxStates)
            return { verdict: 'unknown', states: size, reason: `more than ${maxStates} states` };
          if (bucket) bucket.push(remember());
          else seen.set(key, [remember()]);
          stack.push({ entry, state });
          state = after;
          unlink(entry);
          if (returnOf[op] >= 0) unlink(returnOf[op]), unfinished--;
          entry = next[HEAD];
          continue;
        }
        flip(op);
      }
      entry = next[entry];
      continue;
    }
    // The return of an operation not linearized yet (or, defensively, the end):
    // no order of what remains starts here. Undo the last choice.
    const undo = stack.pop();
    if (!undo) return { verdict: 'illegal', states: size };
    const op = events[undo.entry].op;
    if (returnOf[op] >= 0) relink(returnOf[op]), unfinished++;
    relink(undo.entry);
    flip(op);
    state = undo.state;
    entry = next[undo.entry];
  }
  return { verdict: 'ok', states: size };
}

/**
 * The history as it stood at time `cut`: operations called by then, those
 * still running made pending. If a history is linearizable, so is every such
 * prefix (take the operations that took effect by `cut`), so an illegal
 * prefix proves the whole history illegal.
 */
function prefixAt<I, O>(ops: History<I, O>, cut: number): History<I, O> {
  return ops
    .filter((op) => op.call <= cut)
    .map((op) => (op.return <= cut ? op : { ...op, return: Infinity }));
}

/** Binary search for the smallest illegal prefix of an illegal history, then the operations around its end. */
function failingWindow<S, I, O>(
  model: Model<S, I, O>,
  ops: History<I, O>,
  timeoutMs: number,
  maxStates: number,
  context: number,
): FailingWindow<I, O> {
  const started = performance.now();
  const deadline = started + timeoutMs;
  // Only a return can make a prefix illegal (a new call may always be left out),
  // so the candidate cuts are the return times.
  const cuts = [...new Set(ops.map((op) => op.return))].sort((a, b) => a - b);
  let low = -1; // cuts[low] gives a linearizable prefix (-1: the empty one)
  let high = cuts.length - 1; // cuts[high] gives an illegal prefix
  let smallest = true;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    const verdict = search(model, prefixAt(ops, cuts[middle]), deadline, maxStates).verdict;
    if (verdict === 'unknown') {
      smallest = false;
      break;
    }
    if (verdict === 'illegal') high = middle;
    else low = middle;
  }
  const cut = cuts[high];
  const prefix = ops.filter((op) => op.call <= cut);
  const failing = prefix.find((op) => op.return === cut)!;
  const overlapping = prefix.filter((op) => op.return >= failing.call);
  const before = prefix
    .filter((op) => op.return < failing.call)
    .sort((a, b) => a.return - b.return);
  const shown = [...before.slice(Math.max(0, before.length - context)), ...overlapping].sort(
    (a, b) => a.call - b.call,
  );
  return {
    failing,
    operations: shown,
    omitted: prefix.length - shown.length,
    smallest,
    elapsedMs: performance.now() - started,
  };
}

function validate<I, O>(history: History<I, O>): void {
  history.forEach((op, i) => {
    if (!Number.isFinite(op.call) || !Number.isFinite(op.return) || op.call > op.return) {
      throw new TypeError(
        `checkOperations: operation ${i} (${op.clientId}) has call=${op.call}, return=${op.return}; need finite numbers with call <= return`,
      );
    }
  });
}

/** Checks `history` against `model`; each partition (if the model has a partition function) on its own. */
export function checkOperations<S, I, O>(
  model: Model<S, I, O>,
  history: History<I, O>,
  options: CheckOptions = {},
): CheckResult<I, O> {
  validate(history);
  const { timeoutMs = 5000, maxStates = 500_000, context = 6 } = options;
  const started = performance.now();
  const deadline = started + timeoutMs;
  const parts = model.partition ? model.partition(history) : [history];
  let states = 0;
  let unknown: string | undefined;
  for (const part of parts) {
    const result = search(model, part, deadline, maxStates);
    states += result.states;
    if (result.verdict === 'illegal') {
      const window = failingWindow(model, part, timeoutMs, maxStates, context);
      return {
        verdict: 'illegal',
        elapsedMs: performance.now() - started,
        states,
        partitions: parts.length,
        window,
      };
    }
    // Keep going after an 'unknown': an illegal partition later still decides.
    if (result.verdict === 'unknown') unknown ??= result.reason;
  }
  const elapsedMs = performance.now() - started;
  return unknown
    ? { verdict: 'unknown', elapsedMs, states, partitions: parts.length, reason: unknown }
    : { verdict: 'ok', elapsedMs, states, partitions: parts.length };
}
