// Worker for "lets nobody leave a round before every party arrives": attaches
// to the shared barrier, waits for GO, then runs `rounds` rounds. In each round
// it counts itself in that round's ARRIVALS cell, waits at the barrier, and
// checks that every party had arrived by the time it left.
//
// Messages to the test: 'ready' once attached, 'done' after the last round.
import { parentPort, workerData } from 'node:worker_threads';
import { Segment } from '@ipc-course/shim';
import { Barrier } from './barrier.ts';

// The barrier is at byte 0 (cells 0-2). The test reads the same cells: keep the two in sync.
const GO = 4; // 0 until the test starts every worker at once
const EARLY = 5; // rounds a worker left before every party had arrived
const ARRIVALS = 16; // ARRIVALS + round: parties that arrived for that round
const SERIALS = ARRIVALS + 1000; // SERIALS + round: parties whose wait returned true

const { name, rounds } = workerData as { name: string; rounds: number };
const segment = Segment.open(name);
const barrier = new Barrier(segment, 0);

parentPort!.postMessage('ready');
while (segment.load(GO) === 0) segment.wait(GO, 0); // start together

for (let round = 0; round < rounds; round++) {
  segment.add(ARRIVALS + round, 1); // I am here ...
  const serial = barrier.wait(); // ... and wait for everyone else
  if (segment.load(ARRIVALS + round) < barrier.parties) segment.add(EARLY, 1);
  if (serial) segment.add(SERIALS + round, 1);
}

segment.close();
parentPort!.postMessage('done');
