// The preempted holder of lessons/03-spinlock.md: one holder does about 50 ms of
// work inside the lock while 5 spinners wait for it, on a 2-CPU machine. Round 1:
// the spinners never yield; round 2: they yield after each look. Prints how
// long the holder's critical section took in each round. The file runs again in
// each worker thread (see isMainThread).
import { once } from 'node:events';
import { isMainThread, workerData } from 'node:worker_threads';
import { Segment, getpid, startWorker, yieldThread } from '@ipc-course/shim';

const LOCK = 0; // 0 free, 1 held
const READY = 1; // workers started
const ROUND = 2; // 1: spinners never yield, 2: they yield; each round starts when it is set
const SPINNING = 3; // spinners inside lock() in this round
const DONE = 4; // workers done with this round
const TOOK = 5; // how long the holder's critical section took, in ms
const SPINNERS = 5;

/** The holder's critical section: the same computation every time. */
function work(): number {
  let x = 0;
  for (let i = 0; i < 10_000_000; i++) x = (x * 31 + i) | 0;
  return x;
}

function lock(segment: Segment, polite: boolean): void {
  while (segment.load(LOCK) !== 0 || segment.exchange(LOCK, 1) !== 0) {
    if (polite) yieldThread(); // let the holder have this CPU
  }
}

if (isMainThread) {
  const segment = Segment.create(`ipcc-${getpid()}-preempted`, 24);
  try {
    const start = performance.now();
    work();
    console.log(`the critical section alone:       ${Math.round(performance.now() - start)} ms`);
    const roles = ['holder', ...Array<string>(SPINNERS).fill('spinner')];
    const workers = roles.map((role) => startWorker(import.meta.url, { name: segment.name, role }));
    while (segment.load(READY) < roles.length) segment.wait(READY, segment.load(READY));
    for (const round of [1, 2]) {
      segment.store(LOCK, 1); // the holder's, from the start
      segment.store(SPINNING, 0);
      segment.store(DONE, 0);
      segment.store(ROUND, round); // go
      segment.notify(ROUND);
      while (segment.load(DONE) < roles.length) segment.wait(DONE, segment.load(DONE));
      console.log(
        `with 5 spinners that ${round === 1 ? 'never yield:' : 'yield:      '} ${segment.load(TOOK)} ms`,
      );
    }
    await Promise.all(workers.map((worker) => once(worker, 'exit')));
  } finally {
    segment.close();
    Segment.unlink(segment.name);
  }
} else {
  const { name, role } = workerData as { name: string; role: string };
  const segment = Segment.open(name);
  segment.add(READY, 1);
  segment.notify(READY);
  for (const round of [1, 2]) {
    while (segment.load(ROUND) < round) segment.wait(ROUND, round - 1); // sleep until it starts
    if (role === 'spinner') {
      segment.add(SPINNING, 1);
      lock(segment, round === 2);
      segment.store(LOCK, 0); // unlock at once
    } else {
      while (segment.load(SPINNING) < SPINNERS); // until every spinner spins
      const start = performance.now();
      work();
      segment.store(TOOK, Math.round(performance.now() - start));
      segment.store(LOCK, 0); // unlock
    }
    segment.add(DONE, 1);
    segment.notify(DONE);
  }
  segment.close();
}
