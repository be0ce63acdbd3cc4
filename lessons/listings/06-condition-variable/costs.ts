// The costs of lessons/06-condition-variable.md: a signal that nobody waits for,
// with and without a count of waiters, and a turn handed between two workers
// through a mutex and SequenceCondition. The file runs again in each worker.
import { Segment, getpid } from '@ipc-course/shim';
import { Mutex } from '../../../exercises/06-condition-variable/mutex.ts';
import { SequenceCondition } from './sequence-condition.ts';
import { twoWorkers } from '../04-mutex/two-workers.ts';

const TURN = 2; // whose turn it is (the mutex is cell 0, the condition variable cell 1)
const ROUND_TRIPS = 2_000;

const pingPong = await twoWorkers(import.meta.url, ROUND_TRIPS, (segment, me) => {
  const mutex = new Mutex(segment, 0);
  const turnChanged = new SequenceCondition(segment, 1);
  mutex.lock();
  while (segment.load(TURN) !== me) turnChanged.wait(mutex);
  segment.store(TURN, 1 - me);
  turnChanged.signal();
  mutex.unlock();
});
if (pingPong) {
  const SEQ = 0;
  const WAITERS = 1; // 0: nobody waits
  const segment = Segment.create(`ipcc-${getpid()}-costs`, 8);
  try {
    const nanosEach = (times: number, signal: () => void): number => {
      const start = performance.now();
      for (let i = 0; i < times; i++) signal();
      return Math.round(((performance.now() - start) * 1e6) / times);
    };
    const always = nanosEach(200_000, () => {
      segment.add(SEQ, 1);
      segment.notify(SEQ, 1); // a system call, though nobody sleeps
    });
    const counted = nanosEach(2_000_000, () => {
      if (segment.load(WAITERS) === 0) return; // nobody waits: done
      segment.add(SEQ, 1);
      segment.notify(SEQ, 1);
    });
    console.log(`signal, nobody waiting, always notifies: ${always} ns`);
    console.log(`signal, nobody waiting, counts waiters:  ${counted} ns`);
    console.log(
      `a turn handed over and back:             ${((pingPong.ms * 1000) / ROUND_TRIPS).toFixed(1)} µs`,
    );
  } finally {
    segment.close();
    Segment.unlink(segment.name);
  }
}
