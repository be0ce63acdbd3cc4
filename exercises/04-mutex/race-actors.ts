// The actors of the race check (race.test.ts). Each runs in a worker thread or
// a child process. A scheduler picks who runs at every shim call, so each run
// tries one interleaving of their lock() and unlock() calls.
import { Segment } from '@ipc-course/shim';
import { Mutex } from './mutex.ts';

export interface RaceArgs {
  segment: string;
  /** Where the mutex is, and the two cells the check reads. */
  offset: number;
  counter: number;
  inside: number;
  rounds: number;
  /** Try tryLock() first each round; lock() only if it fails. */
  tryFirst?: boolean;
}

/** Takes the mutex `rounds` times, adds 1 to the counter inside; returns overlaps seen. */
export function lockRounds(args: RaceArgs): number {
  const segment = Segment.open(args.segment);
  try {
    const mutex = new Mutex(segment, args.offset);
    let overlaps = 0;
    for (let round = 0; round < args.rounds; round++) {
      if (!(args.tryFirst && mutex.tryLock()) && !mutex.lock())
        throw new Error('lock() without a timeout returned false');
      if (segment.add(args.inside, 1) !== 0) overlaps++; // someone else is inside too
      segment.store(args.counter, segment.load(args.counter) + 1);
      segment.sub(args.inside, 1);
      mutex.unlock();
    }
    return overlaps;
  } finally {
    segment.close();
  }
}
