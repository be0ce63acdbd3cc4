// Writer starvation, from lessons/08-rwlock.md: the main thread plays a stream
// of overlapping readers on a ReadersFirstLock (the next reader comes in before
// the one before it leaves), while a writer in a worker tries for 300 ms.
// Exits with code 1 when the writer gave up. The file runs again in the worker.
import { once } from 'node:events';
import { isMainThread, workerData } from 'node:worker_threads';
import { Segment, getpid, startWorker } from '@ipc-course/shim';
import { ReadersFirstLock } from './readers-first.ts';

const LOCK = 0;
const WANTS = 1; // 1 while the writer tries
const GOT_IN = 2; // 1 if the writer got the lock
const WAITED = 3; // how long it tried, in ms
const NAP = 4; // nobody changes it: waiting on it is a plain sleep

if (isMainThread) {
  const segment = Segment.create(`ipcc-${getpid()}-starve`, 20);
  try {
    const lock = new ReadersFirstLock(segment, LOCK);
    lock.readLock(); // the first reader
    const writer = startWorker(import.meta.url, segment.name);
    while (segment.load(WANTS) === 0) segment.wait(WANTS, 0);
    let reads = 0;
    while (segment.load(WANTS) === 1) {
      lock.readLock(); // the next reader comes in ...
      lock.readUnlock(); // ... then the one before it leaves: the count never reaches 0
      segment.wait(NAP, 0, 2); // and the new one reads for 2 ms
      reads++;
    }
    lock.readUnlock();
    await once(writer, 'exit');
    const verdict = segment.load(GOT_IN) === 1 ? 'got in' : 'gave up';
    console.log(
      `the writer ${verdict} after ${segment.load(WAITED)} ms; ${reads} reads went in meanwhile`,
    );
    if (segment.load(GOT_IN) === 0) process.exitCode = 1;
  } finally {
    segment.close();
    Segment.unlink(segment.name);
  }
} else {
  const segment = Segment.open(workerData as string);
  const lock = new ReadersFirstLock(segment, LOCK);
  segment.store(WANTS, 1);
  segment.notify(WANTS);
  const start = performance.now();
  const gotIn = lock.writeLock(300);
  segment.store(WAITED, Math.round(performance.now() - start));
  if (gotIn) lock.writeUnlock();
  segment.store(GOT_IN, gotIn ? 1 : 0);
  segment.store(WANTS, 0);
  segment.close();
}
