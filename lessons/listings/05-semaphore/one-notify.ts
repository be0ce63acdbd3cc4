// Three workers sleep in P; the main thread releases 3 permits with one notify,
// and counts the workers still asleep: lessons/05-semaphore.md.
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { isMainThread, workerData } from 'node:worker_threads';
import { Segment, getpid, startWorker } from '@ipc-course/shim';
import { acquire } from './pv.ts';

const VALUE = 0; // free permits
const READY = 1; // workers about to sleep in acquire
const WORKERS = 3;

if (isMainThread) {
  process.env.IPC_SHIM_SLICE_MS = '0'; // exact futex waits, as in the grader: see below
  const segment = Segment.create(`ipcc-${getpid()}-notify-one`, 12);
  try {
    const workers = Array.from({ length: WORKERS }, () =>
      startWorker(import.meta.url, segment.name),
    );
    const exited = workers.map((worker) => once(worker, 'exit'));
    while (segment.load(READY) < WORKERS) await segment.waitAsync(READY, segment.load(READY));
    await sleep(200); // they are asleep in acquire() now
    segment.add(VALUE, WORKERS); // release(3) ...
    const woken = segment.notify(VALUE, 1); // ... with the mutex's notify
    await sleep(200);
    console.log(
      `release(3) woke ${woken} of ${WORKERS} sleepers; 200 ms later, ${segment.load(VALUE)} permits lie unused`,
    );
    if (segment.load(VALUE) > 0) process.exitCode = 1;
    segment.notify(VALUE); // wake the others, so that the program can end
    await Promise.all(exited);
  } finally {
    segment.close();
    Segment.unlink(segment.name);
  }
} else {
  const segment = Segment.open(workerData as string);
  segment.add(READY, 1);
  segment.notify(READY);
  acquire(segment, VALUE);
  segment.close();
}
