// Worker for "never lets more holders in than permits": attaches to the shared
// semaphore, waits for GO, then does `rounds` of acquire / count who is inside
// / release. With a correct semaphore, INSIDE never exceeds the permits.
//
// Messages to the test: 'ready' once attached, 'done' after the last round.
import { parentPort, workerData } from 'node:worker_threads';
import { Segment } from '@ipc-course/shim';
import { Semaphore } from './semaphore.ts';

// Cells 0-1 are the semaphore. The test reads the same cells: keep the two in sync.
const INSIDE = 2; // how many workers hold a permit now
const MOST_INSIDE = 3; // the most that ever held one at once
const GO = 4; // 0 until the test starts every worker at once

const { name, rounds } = workerData as { name: string; rounds: number };
const segment = Segment.open(name);
const semaphore = new Semaphore(segment, 0);

parentPort!.postMessage('ready');
while (segment.load(GO) === 0) segment.wait(GO, 0); // start barrier

for (let round = 0; round < rounds; round++) {
  if (!semaphore.acquire()) throw new Error('acquire() with no timeout returned false');
  const inside = segment.add(INSIDE, 1) + 1;
  // Raise MOST_INSIDE to `inside` unless another worker raised it higher.
  for (let most = segment.load(MOST_INSIDE); inside > most; ) {
    const seen = segment.compareExchange(MOST_INSIDE, most, inside);
    if (seen === most) break;
    most = seen;
  }
  segment.sub(INSIDE, 1);
  semaphore.release();
}

segment.close();
parentPort!.postMessage('done');
