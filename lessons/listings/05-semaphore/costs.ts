// Measures the semaphore's steps: acquire + release with a permit free, and a
// permit handed back and forth between two workers through two semaphores:
// lessons/05-semaphore.md.
import { Segment, getpid } from '@ipc-course/shim';
import { twoWorkers } from '../04-mutex/two-workers.ts';
import { acquire, release } from './pv.ts';

const PING = 0; // a semaphore: worker 0 releases, worker 1 acquires
const PONG = 1; // and the other way round
const ROUND_TRIPS = 2_000;

const handoff = await twoWorkers(import.meta.url, ROUND_TRIPS, (segment, me) => {
  if (me === 0) release(segment, PING); // worker 0 serves ...
  acquire(segment, me === 0 ? PONG : PING); // ... each waits for the other ...
  if (me === 1) release(segment, PONG); // ... and worker 1 returns the ball
});
if (handoff) {
  const VALUE = 0;
  const WAITERS = 1;
  const segment = Segment.create(`ipcc-${getpid()}-costs`, 8);
  try {
    const nanosEach = (times: number, look: 'never' | 'at WAITERS' | 'notify always'): number => {
      segment.store(VALUE, 1);
      const start = performance.now();
      for (let i = 0; i < times; i++) {
        segment.compareExchange(VALUE, 1, 0); // acquire, fast path
        segment.add(VALUE, 1); // release: publish ...
        if (look === 'at WAITERS' && segment.load(WAITERS) > 0) segment.notify(VALUE, 1); // ... look: nobody
        if (look === 'notify always') segment.notify(VALUE, 1); // a system call, though nobody sleeps
      }
      return Math.round(((performance.now() - start) * 1e6) / times);
    };
    nanosEach(200_000, 'at WAITERS'); // warm up: let the JIT compile the loop first
    console.log(`acquire + release, nobody waits:      ${nanosEach(2_000_000, 'never')} ns`);
    console.log(`the same, reading WAITERS:            ${nanosEach(2_000_000, 'at WAITERS')} ns`);
    console.log(`the same + a notify nobody needs:     ${nanosEach(200_000, 'notify always')} ns`);
    console.log(
      `handoff round trip, two workers:      ${((handoff.ms * 1000) / ROUND_TRIPS).toFixed(1)} µs`,
    );
  } finally {
    segment.close();
    Segment.unlink(segment.name);
  }
}
