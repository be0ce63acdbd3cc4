// Worker for the visible tests across threads. Two jobs, chosen by `job`:
//
//  'mixed'   attaches, posts 'ready', waits for GO, then does `rounds` critical
//            sections: every 4th (from `me`) writes (a non-atomic increment of
//            COUNTER), the others read. Counts sections that saw a writer
//            beside anyone else; posts 'done' with that count.
//  'writer'  posts 'waiting', blocks in writeLock(), posts 'in', holds the lock
//            for 50 ms, releases it, posts 'out'.
import { parentPort, workerData } from 'node:worker_threads';
import { Segment } from '@ipc-course/shim';
import { ReadersWriterLock } from './rwlock.ts';

// Bytes 0-15 are the lock. The test reads the same cells: keep the two in sync.
const COUNTER = 4; // incremented by load + store: only safe under the write lock
const READERS = 5; // readers inside now
const WRITERS = 6; // writers inside now
const GO = 7; // 0 until the test starts every worker at once
const NAP = 8; // nobody changes it: waiting on it is a plain sleep

const {
  name,
  job,
  rounds = 0,
  me = 0,
} = workerData as { name: string; job: 'mixed' | 'writer'; rounds?: number; me?: number };
const segment = Segment.open(name);
const lock = new ReadersWriterLock(segment, 0);

if (job === 'writer') {
  parentPort!.postMessage('waiting');
  lock.writeLock();
  parentPort!.postMessage('in');
  segment.wait(NAP, 0, 50);
  lock.writeUnlock();
  parentPort!.postMessage('out');
} else {
  parentPort!.postMessage('ready');
  while (segment.load(GO) === 0) segment.wait(GO, 0); // start barrier
  let overlaps = 0;
  for (let round = 0; round < rounds; round++) {
    if ((round + me) % 4 === 0) {
      lock.writeLock();
      if (segment.add(WRITERS, 1) !== 0 || segment.load(READERS) !== 0) overlaps++;
      const value = segment.load(COUNTER); // read ...
      segment.store(COUNTER, value + 1); // ... then write: loses updates unless exclusive
      segment.sub(WRITERS, 1);
      lock.writeUnlock();
    } else {
      lock.readLock();
      segment.add(READERS, 1);
      if (segment.load(WRITERS) !== 0) overlaps++;
      segment.sub(READERS, 1);
      lock.readUnlock();
    }
  }
  parentPort!.postMessage({ done: overlaps });
}
segment.close();
