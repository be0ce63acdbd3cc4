// The actors of the race check (race.test.ts). Each runs in a worker thread or
// a child process. A scheduler picks who runs at every shim call, so each run
// tries one interleaving of their wait(), signal() and mutex calls.
import { Segment } from '@ipc-course/shim';
import { ConditionVariable } from './condvar.ts';
import { Mutex } from './mutex.ts';

export interface RaceArgs {
  segment: string;
  /** Where the condition variable and its mutex are, and the cell of items. */
  conditionOffset: number;
  mutexOffset: number;
  items: number;
  /** Items to put, or to take. */
  count: number;
  /** takeItems: wait with lockAsync() and waitAsync() instead of lock() and wait(). */
  async?: boolean;
}

function attach(args: RaceArgs) {
  const segment = Segment.open(args.segment);
  return {
    segment,
    condition: new ConditionVariable(segment, args.conditionOffset),
    mutex: new Mutex(segment, args.mutexOffset),
  };
}

/** Takes `count` items, one at a time, waiting while there are none. Returns the times wait returned without the mutex. */
export async function takeItems(args: RaceArgs): Promise<number> {
  const { segment, condition, mutex } = attach(args);
  try {
    let unlocked = 0;
    for (let i = 0; i < args.count; i++) {
      if (args.async) await mutex.lockAsync();
      else mutex.lock();
      while (segment.load(args.items) === 0) {
        if (args.async) await condition.waitAsync(mutex);
        else condition.wait(mutex);
        if (mutex.tryLock()) unlocked++; // wait must return holding the mutex
      }
      segment.sub(args.items, 1);
      mutex.unlock();
    }
    return unlocked;
  } finally {
    segment.close();
  }
}

/** Puts `count` items, one at a time, with a signal() for each. */
export function putItems(args: RaceArgs): number {
  const { segment, condition, mutex } = attach(args);
  try {
    for (let i = 0; i < args.count; i++) {
      mutex.lock();
      segment.add(args.items, 1);
      condition.signal();
      mutex.unlock();
    }
    return 0;
  } finally {
    segment.close();
  }
}
