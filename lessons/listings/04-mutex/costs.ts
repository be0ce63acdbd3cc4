// Measures the mutex's steps: lock + unlock with nobody waiting, the same with a
// notify nobody needs, and a turn passed back and forth between two workers
// asleep in the futex: lessons/04-mutex.md.
import { Segment, getpid } from '@ipc-course/shim';
import { twoWorkers } from './two-workers.ts';

const LOCK = 0;
const TURN = 1; // whose turn it is: worker 0 or worker 1
const ROUND_TRIPS = 2_000;

const pingPong = await twoWorkers(import.meta.url, ROUND_TRIPS, (segment, me) => {
  while (segment.load(TURN) !== me) segment.wait(TURN, 1 - me); // sleep in the other's turn
  segment.store(TURN, 1 - me);
  segment.notify(TURN, 1);
});
if (pingPong) {
  const segment = Segment.create(`ipcc-${getpid()}-costs`, 4);
  try {
    const nanosEach = (times: number, notify: boolean): number => {
      const start = performance.now();
      for (let i = 0; i < times; i++) {
        segment.compareExchange(LOCK, 0, 1); // lock
        segment.store(LOCK, 0); // unlock
        if (notify) segment.notify(LOCK, 1); // a system call, though nobody sleeps
      }
      return Math.round(((performance.now() - start) * 1e6) / times);
    };
    console.log(`lock + unlock, nobody waits:      ${nanosEach(2_000_000, false)} ns`);
    console.log(`the same + a notify nobody needs: ${nanosEach(200_000, true)} ns`);
    console.log(
      `futex round trip, two workers:    ${((pingPong.ms * 1000) / ROUND_TRIPS).toFixed(1)} µs`,
    );
  } finally {
    segment.close();
    Segment.unlink(segment.name);
  }
}
