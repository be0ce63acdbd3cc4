// Worker for "passes a turn back and forth between two workers": attaches to
// the shared mutex and condition variable, waits for GO, then `rounds` times:
// lock; while it is not my turn, wait; hand the turn over; signal; unlock.
// A lost wakeup leaves both workers asleep: the test then fails on its timeout.
//
// Messages to the test: 'ready' once attached, 'done' after the last round.
import { parentPort, workerData } from 'node:worker_threads';
import { Segment } from '@ipc-course/shim';
import { ConditionVariable } from './condvar.ts';
import { Mutex } from './mutex.ts';

// Byte 0 is the mutex, bytes 4-11 the condition variable. The test reads the
// same cells: keep the two in sync.
const TURN = 3; // whose turn it is: worker 0 or worker 1
const INSIDE = 4; // how many workers are inside the critical section now
const OVERLAPS = 5; // times a worker returned from wait while another was inside
const GO = 6; // 0 until the test starts both workers at once
const HANDOFFS = 7; // turns handed over, counted under the mutex

const { name, rounds, me } = workerData as { name: string; rounds: number; me: 0 | 1 };
const segment = Segment.open(name);
const mutex = new Mutex(segment, 0);
const turnChanged = new ConditionVariable(segment, 4);

parentPort!.postMessage('ready');
while (segment.load(GO) === 0) segment.wait(GO, 0); // start barrier

for (let round = 0; round < rounds; round++) {
  mutex.lock();
  while (segment.load(TURN) !== me) turnChanged.wait(mutex); // `while`: a wakeup is only a hint
  if (segment.add(INSIDE, 1) !== 0) segment.add(OVERLAPS, 1); // wait must return holding the mutex
  const handoffs = segment.load(HANDOFFS); // read ...
  segment.store(HANDOFFS, handoffs + 1); // ... then write: loses updates unless exclusive
  segment.store(TURN, 1 - me);
  segment.sub(INSIDE, 1);
  turnChanged.signal(); // the other worker may be asleep in wait
  mutex.unlock();
}

segment.close();
parentPort!.postMessage('done');
