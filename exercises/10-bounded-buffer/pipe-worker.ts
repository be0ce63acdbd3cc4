// Worker for "takes every value exactly once across worker threads": attaches
// to the shared buffer, waits for GO, then either puts `count` values from
// `first` on (a producer) or takes `count` values and sends them back (a consumer).
//
// Messages to the test: 'ready' once attached, then the values it took ([] for a producer).
import { parentPort, workerData } from 'node:worker_threads';
import { Segment } from '@ipc-course/shim';
import { BoundedBuffer } from './bounded-buffer.ts';

// Cell 0 is the test's GO cell; the buffer starts at byte 64. Keep in sync with the test.
const GO = 0;
const BUFFER_OFFSET = 64;

const { name, role, first, count } = workerData as {
  name: string;
  role: 'producer' | 'consumer';
  first: number;
  count: number;
};
const segment = Segment.open(name);
const buffer = new BoundedBuffer(segment, BUFFER_OFFSET);

parentPort!.postMessage('ready');
while (segment.load(GO) === 0) segment.wait(GO, 0); // start barrier

const taken: number[] = [];
for (let i = 0; i < count; i++) {
  if (role === 'producer') {
    if (!buffer.put(first + i, 10_000))
      throw new Error(`put(${first + i}, 10000) gave up: are takers woken?`);
  } else {
    const value = buffer.take(10_000);
    if (value === undefined)
      throw new Error('take(10000) returned undefined while values were still coming');
    taken.push(value);
  }
}

segment.close();
parentPort!.postMessage(taken);
