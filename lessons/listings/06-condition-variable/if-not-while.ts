// A consumer that checks its condition with if, not while: a broadcast for a
// change that adds no item wakes it, and it takes from an empty queue:
// lessons/06-condition-variable.md.
import { Mutex } from '../../../exercises/06-condition-variable/mutex.ts';
import { SequenceCondition } from './sequence-condition.ts';
import { twoWorkers } from '../04-mutex/two-workers.ts';

const CHANGED = 1; // the condition variable's cell (the mutex is cell 0)
const ITEMS = 2; // items in the queue: the consumer waits for ITEMS > 0
const WAITING = 3; // 1 while the consumer waits

const result = await twoWorkers(import.meta.url, 1_000_000, (segment, me) => {
  const mutex = new Mutex(segment, 0);
  const changed = new SequenceCondition(segment, CHANGED);
  mutex.lock();
  try {
    if (me === 0) {
      segment.store(WAITING, 1);
      if (segment.load(ITEMS) === 0) changed.wait(mutex); // BUG: `if`, not `while`
      segment.sub(ITEMS, 1); // take an item: there may be none
      return true; // ends both loops
    }
    // Worker 1 changes something else (a setting, say) and tells every waiter.
    if (segment.load(WAITING) === 1) changed.broadcast();
  } finally {
    mutex.unlock();
  }
});
if (result) {
  console.log(`items after the take: ${result.cells[ITEMS]}`);
  if (result.cells[ITEMS] < 0) process.exitCode = 1;
}
