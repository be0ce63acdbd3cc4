// A worker holds the lock for 100 ms, asleep; the main thread waits for it with
// a polite spin (look, yield) and counts its looks and its CPU time:
// lessons/03-spinlock.md.
import { once } from 'node:events';
import { isMainThread, workerData } from 'node:worker_threads';
import { Segment, getpid, startWorker, yieldThread } from '@ipc-course/shim';

const LOCK = 0; // 0 free, 1 held
const HELD = 1; // 1 once the worker holds the lock
const NAP = 2; // nobody changes it: waiting on it is a plain sleep

if (isMainThread) {
  const segment = Segment.create(`ipcc-${getpid()}-burn`, 12);
  try {
    const worker = startWorker(import.meta.url, segment.name);
    while (segment.load(HELD) === 0) segment.wait(HELD, 0);
    const start = performance.now();
    const before = process.cpuUsage(); // CPU time of all threads of this process; the worker sleeps
    let looks = 1;
    for (; segment.load(LOCK) !== 0 || segment.exchange(LOCK, 1) !== 0; looks++) yieldThread();
    const { user, system } = process.cpuUsage(before);
    const waited = performance.now() - start;
    segment.store(LOCK, 0);
    await once(worker, 'exit');
    console.log(
      `waited ${Math.round(waited)} ms: ${looks} looks, ${Math.round((user + system) / 1000)} ms of CPU`,
    );
  } finally {
    segment.close();
    Segment.unlink(segment.name);
  }
} else {
  const segment = Segment.open(workerData as string);
  segment.store(LOCK, 1); // lock, then tell the main thread
  segment.store(HELD, 1);
  segment.notify(HELD);
  segment.wait(NAP, 0, 100); // hold the lock for 100 ms, asleep
  segment.store(LOCK, 0); // unlock
  segment.close();
}
