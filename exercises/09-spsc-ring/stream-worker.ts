// Worker for "streams values between two worker threads, in order": attaches to
// the shared ring, waits for GO, then either pushes `count` values 0, 1, 2, ...
// (the producer) or takes `count` values and counts the ones out of place (the consumer).
//
// Messages to the test: 'ready' once attached, then what it saw.
import { parentPort, workerData } from 'node:worker_threads';
import { Segment } from '@ipc-course/shim';
import { SpscRing } from './spsc-ring.ts';

// Cell 0 is the test's GO cell; the ring starts at byte 64. Keep in sync with the test.
const GO = 0;
const RING_OFFSET = 64;

const { name, role, count } = workerData as {
  name: string;
  role: 'producer' | 'consumer';
  count: number;
};
const segment = Segment.open(name);
const ring = new SpscRing(segment, RING_OFFSET);

parentPort!.postMessage('ready');
while (segment.load(GO) === 0) segment.wait(GO, 0); // start barrier

let outOfPlace = 0;
let firstOutOfPlace = '';
for (let i = 0; i < count; i++) {
  if (role === 'producer') {
    // push when there is room; put (which sleeps) when there is none
    if (!ring.push(i) && !ring.put(i, 10_000))
      throw new Error(`put(${i}, 10000) gave up: does pop wake the producer?`);
  } else {
    const value = i % 2 === 0 ? ring.take(10_000) : (ring.pop() ?? ring.take(10_000));
    if (value === undefined)
      throw new Error('take(10000) returned undefined while values were still coming');
    if (value !== i && outOfPlace++ === 0) firstOutOfPlace = `value number ${i} was ${value}`;
  }
}

segment.close();
parentPort!.postMessage({ outOfPlace, firstOutOfPlace });
