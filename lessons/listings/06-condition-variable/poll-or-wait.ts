// Poll or wait, from lessons/06-condition-variable.md: the main thread waits for
// an item that a worker puts after 100 ms, first by polling under the mutex,
// then with SequenceCondition, and prints how often it checked and how much CPU
// it used. The file runs again in the worker (see isMainThread).
import { once } from 'node:events';
import { isMainThread, workerData } from 'node:worker_threads';
import { Segment, getpid, startWorker } from '@ipc-course/shim';
import { Mutex } from '../../../exercises/06-condition-variable/mutex.ts';
import { SequenceCondition } from './sequence-condition.ts';

const ITEM = 1; // 0 until the producer puts its item (the mutex is cell 0)
const ITEM_PUT = 2; // the condition variable's cell
const NAP = 3; // nobody changes it: waiting on it is a plain sleep
const STARTED = 4; // 1 once the producer runs

if (isMainThread) {
  const segment = Segment.create(`ipcc-${getpid()}-poll-or-wait`, 20);
  try {
    const mutex = Mutex.init(segment, 0);
    const itemPut = new SequenceCondition(segment, ITEM_PUT);
    for (const how of ['polls', 'waits']) {
      segment.store(ITEM, 0);
      segment.store(STARTED, 0);
      const producer = startWorker(import.meta.url, segment.name);
      while (segment.load(STARTED) === 0) segment.wait(STARTED, 0);
      const before = process.cpuUsage(); // CPU time of all threads of this process
      let checks = 0;
      mutex.lock();
      for (; ; checks++) {
        if (segment.load(ITEM) !== 0) break; // checked under the mutex
        if (how === 'polls') {
          mutex.unlock(); // let the producer in, then look again
          mutex.lock();
        } else {
          itemPut.wait(mutex); // unlock, sleep until a signal, lock again
        }
      }
      mutex.unlock();
      const { user, system } = process.cpuUsage(before);
      await once(producer, 'exit');
      console.log(
        `a consumer that ${how}: ${checks + 1} checks, ${Math.round((user + system) / 1000)} ms of CPU`,
      );
    }
  } finally {
    segment.close();
    Segment.unlink(segment.name);
  }
} else {
  const segment = Segment.open(workerData as string);
  const mutex = new Mutex(segment, 0);
  segment.store(STARTED, 1);
  segment.notify(STARTED);
  segment.wait(NAP, 0, 100); // produce for 100 ms
  mutex.lock();
  segment.store(ITEM, 1);
  new SequenceCondition(segment, ITEM_PUT).signal(); // wake the consumer, if it waits
  mutex.unlock();
  segment.close();
}
