// Worker for "never lets two holders in at once": attaches to the shared
// spinlock, waits for GO, then does `rounds` of lock / non-atomic increment /
// unlock. With a correct spinlock no increment is lost.
//
// Messages to the test: 'ready' once attached, 'done' after the last round.
import { parentPort, workerData } from 'node:worker_threads';
import { Segment } from '@ipc-course/shim';
import { SpinLock } from './spinlock.ts';

// Cell 0 is the spinlock. The test reads the same cells: keep the two in sync.
const COUNTER = 1; // incremented by load + store: only safe inside the lock
const INSIDE = 2; // how many workers are inside the critical section now
const OVERLAPS = 3; // times a worker entered while another was inside
const GO = 4; // 0 until the test starts every worker at once

const { name, rounds } = workerData as { name: string; rounds: number };
const segment = Segment.open(name);
const spinLock = new SpinLock(segment, 0);

parentPort!.postMessage('ready');
while (segment.load(GO) === 0) segment.wait(GO, 0); // start barrier: sleeps, the test may take a while

for (let round = 0; round < rounds; round++) {
  spinLock.lock();
  if (segment.add(INSIDE, 1) !== 0) segment.add(OVERLAPS, 1);
  const value = segment.load(COUNTER); // read ...
  segment.store(COUNTER, value + 1); // ... then write: loses updates unless exclusive
  segment.sub(INSIDE, 1);
  spinLock.unlock();
}

segment.close();
parentPort!.postMessage('done');
