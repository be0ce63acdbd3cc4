// Three workers, three locks, and a cycle (lessons/29-deadlock-detection.md).
// Worker i locks lock i, then lock (i + 1) % 3. Each lock word holds its
// owner's number + 1, and each worker writes the lock it waits for in a
// table: the wait-for graph, in shared memory, for anyone to read. (Worker
// threads start faster than processes; over a segment, the code is the same.)
//
//   detect:  the workers wait without a timeout. The main thread reads the
//            graph, finds the cycle, and tells one victim to back off.
//   backoff: each worker waits a bounded time for its second lock; on timeout
//            it releases its first lock, sleeps a random while, and retries.
import { once } from 'node:events';
import { isMainThread, workerData } from 'node:worker_threads';
import { Segment, getpid, startWorker } from '@ipc-course/shim';

const N = 3;
const LOCKS = 0; // cells 0..2: 0 free, else owner + 1
const WAITS_FOR = 3; // cells 3..5: the lock worker i waits for, + 1; 0 when not waiting
const HOLDING = 6; // workers holding their first lock
const VICTIM = 7; // the worker the detector tells to back off, + 1
const DONE = 8; // workers that took both locks
const RETRIES = 9; // how often a worker gave up its first lock
const PHASE = 10; // 0: detect, 1: backoff; the same workers run both
const CELLS = 11;
const PHASES = ['detect', 'backoff'] as const;

const tryLock = (s: Segment, lock: number, me: number) =>
  s.compareExchange(LOCKS + lock, 0, me + 1) === 0;
function unlock(s: Segment, lock: number): void {
  s.store(LOCKS + lock, 0);
  s.notify(LOCKS + lock);
}

/** Waits for `lock`, up to `timeoutMs` (Infinity: no limit), and gives up early if made the victim. */
function lock(s: Segment, lock: number, me: number, timeoutMs: number): boolean {
  const deadline = performance.now() + timeoutMs;
  s.store(WAITS_FOR + me, lock + 1); // an edge of the wait-for graph: me → owner of `lock`
  try {
    while (!tryLock(s, lock, me)) {
      if (s.load(VICTIM) === me + 1 || performance.now() > deadline) return false;
      s.wait(LOCKS + lock, s.load(LOCKS + lock), 20);
    }
    return true;
  } finally {
    s.store(WAITS_FOR + me, 0);
  }
}

function worker(s: Segment, me: number, how: string): void {
  const [first, second] = [me, (me + 1) % N];
  for (;;) {
    while (!lock(s, first, me, Infinity)) s.store(VICTIM, 0);
    if (s.add(HOLDING, 1) === N - 1) s.notify(HOLDING);
    while (s.load(HOLDING) < N) s.wait(HOLDING, s.load(HOLDING), 20); // all hold one lock: the cycle is closed
    if (lock(s, second, me, how === 'detect' ? Infinity : 50)) break;
    unlock(s, first); // back off: give the lock up, so the cycle opens
    s.add(RETRIES, 1);
    if (s.load(VICTIM) === me + 1) s.store(VICTIM, 0);
    s.wait(DONE, s.load(DONE), 10 + Math.random() * 40); // a random pause, so that retries do not collide again
    s.add(HOLDING, -1);
  }
  s.add(DONE, 1); // the work that needed both locks
  unlock(s, second);
  unlock(s, first);
}

/** The cycle in the wait-for graph, if there is one: worker → owner of the lock it waits for. */
function findCycle(s: Segment): number[] | undefined {
  const next = (p: number) => {
    const lock = s.load(WAITS_FOR + p) - 1;
    return lock < 0 ? undefined : s.load(LOCKS + lock) - 1;
  };
  for (let start = 0; start < N; start++) {
    const path = [start];
    for (let p = next(start); p !== undefined && p >= 0; p = next(p)) {
      if (p === start) return path;
      if (path.includes(p) || path.length > N) break;
      path.push(p);
    }
  }
  return undefined;
}

/** Runs the detector until every worker is done: each cycle it finds, it breaks by choosing a victim. */
async function detect(s: Segment): Promise<void> {
  for (let first = true; s.load(DONE) < N; ) {
    const cycle = findCycle(s);
    if (cycle && s.load(VICTIM) === 0) {
      const victim = Math.max(...cycle);
      if (first)
        console.log(`wait-for graph: ${[...cycle, cycle[0]].map((p) => `W${p}`).join(' → ')}`);
      if (first) console.log(`victim: W${victim}, told to give up its lock and retry`);
      s.store(VICTIM, victim + 1);
      first = false;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

if (!isMainThread) {
  const { name, me } = workerData as { name: string; me: number };
  const s = Segment.open(name);
  for (let phase = 0; phase < PHASES.length; phase++) {
    while (s.load(PHASE) < phase) s.wait(PHASE, s.load(PHASE), 20);
    worker(s, me, PHASES[phase]);
  }
  s.close();
} else {
  const s = Segment.create(`ipcc-${getpid()}-deadlock`, 4 * CELLS);
  try {
    const workers = Array.from({ length: N }, (_, me) =>
      startWorker(import.meta.url, { name: s.name, me }),
    );
    const exits = Promise.all(workers.map((w) => once(w, 'exit')));
    for (let phase = 0; phase < PHASES.length; phase++) {
      if (PHASES[phase] === 'detect') await detect(s);
      while (s.load(DONE) < N) await new Promise((resolve) => setTimeout(resolve, 20));
      console.log(
        `${PHASES[phase]}: ${s.load(DONE)} of ${N} workers did their work; locks given up: ${s.load(RETRIES)}`,
      );
      for (const cell of [HOLDING, DONE, RETRIES, VICTIM]) s.store(cell, 0); // a fresh start for the next phase
      s.store(PHASE, phase + 1);
      s.notify(PHASE);
    }
    await exits;
  } finally {
    s.close();
    Segment.unlink(s.name);
  }
}
