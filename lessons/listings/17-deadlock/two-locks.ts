// twoLocks: two workers each take two locks, in an order the program chooses,
// for lessons/17-deadlock.md. The program's file runs again in each worker.
//
// Cells:  0 lock A, 1 lock B (two-state locks)
//         2 READY    workers at the start line
//         3 HOLDING  workers that hold their first lock
//         4 DONE     workers that finished
// Both workers start together, take their first lock, then wait up to 100 ms
// for the other to hold its own first lock: if the orders differ, the
// deadlock is certain; if they are the same, the second worker is blocked on
// the first lock and the wait times out.
import { isMainThread, workerData } from 'node:worker_threads';
import { Segment, getpid, startWorker, stopWorker, waitingThreads } from '@ipc-course/shim';
import { lock, unlock } from './two-state-lock.ts';

export const LOCK_A = 0;
export const LOCK_B = 1;
const READY = 2;
const HOLDING = 3;
const DONE = 4;
const NAMES = ['lock A', 'lock B', 'READY', 'HOLDING', 'DONE'];

function arrive(segment: Segment, cell: number, timeoutMs = Infinity): void {
  if (segment.add(cell, 1) === 1) segment.notify(cell); // the last to arrive wakes the other
  const deadline = Date.now() + timeoutMs;
  while (segment.load(cell) < 2 && Date.now() < deadline)
    segment.wait(cell, 1, deadline - Date.now());
}

/** orders[i] is the order in which worker i takes the locks. Returns in each worker. */
export async function twoLocks(
  programUrl: string,
  orders: [number, number][],
  timeoutMs = 500,
): Promise<void> {
  if (!isMainThread) {
    const { name, me } = workerData as { name: string; me: number };
    const segment = Segment.open(name);
    const [first, second] = orders[me];
    arrive(segment, READY);
    lock(segment, first);
    arrive(segment, HOLDING, 100);
    lock(segment, second);
    unlock(segment, second);
    unlock(segment, first);
    segment.add(DONE, 1);
    segment.notify(DONE);
    segment.close();
    return;
  }
  const name = `ipcc-${getpid()}-two-locks`;
  const segment = Segment.create(name, 20);
  try {
    const workers = [0, 1].map((me) => startWorker(programUrl, { name, me }));
    const ids = new Map(workers.map((worker, me) => [worker.threadId, `worker ${me}`]));
    while (segment.load(READY) < 2) segment.wait(READY, segment.load(READY)); // start-up is not counted
    const deadline = Date.now() + timeoutMs;
    for (let done = 0; (done = segment.load(DONE)) < 2 && Date.now() < deadline; ) {
      segment.wait(DONE, done, deadline - Date.now());
    }
    if (segment.load(DONE) === 2) {
      console.log('both workers finished');
    } else {
      console.log(`no progress after ${timeoutMs} ms; futex waits in progress:`);
      const waits = waitingThreads().filter((w) => w.segment === name);
      for (const w of waits.sort((a, b) => a.byteOffset - b.byteOffset)) {
        const cell = w.byteOffset / 4;
        console.log(
          `  ${ids.get(w.threadId) ?? 'thread ' + w.threadId} sleeps on ${NAMES[cell]} (byte ${w.byteOffset}) while it holds ${w.value}`,
        );
      }
      process.exitCode = 1;
    }
    await Promise.all(workers.map((worker) => stopWorker(worker))); // ends the waits: EABORTED
  } finally {
    segment.close();
    Segment.unlink(name);
  }
}
