// The actors of the race check (race.test.ts). Each runs in a worker thread or
// a child process. A scheduler picks who runs at every shim call, so each run
// tries one interleaving of their acquire() and release() calls.
import { Segment } from '@ipc-course/shim';
import { Semaphore } from './semaphore.ts';

export interface RaceArgs {
  segment: string;
  /** Where the semaphore is. */
  offset: number;
  /** Permits to take, or to give one by one. */
  count: number;
  /** Try tryAcquire() first each time; acquire() only if it fails. */
  tryFirst?: boolean;
}

/** Takes `count` permits, one at a time; counts the times value was below 0 after a take. */
export function takePermits(args: RaceArgs): { taken: number; belowZero: number } {
  const segment = Segment.open(args.segment);
  try {
    const semaphore = new Semaphore(segment, args.offset);
    let taken = 0;
    let belowZero = 0;
    for (let i = 0; i < args.count; i++) {
      if ((args.tryFirst && semaphore.tryAcquire()) || semaphore.acquire()) taken++;
      if (semaphore.value < 0) belowZero++; // two takers got the same permit
    }
    return { taken, belowZero };
  } finally {
    segment.close();
  }
}

/** Gives `count` permits with release(), one at a time. */
export function givePermits(args: RaceArgs): number {
  const segment = Segment.open(args.segment);
  try {
    const semaphore = new Semaphore(segment, args.offset);
    for (let i = 0; i < args.count; i++) semaphore.release();
    return 0;
  } finally {
    segment.close();
  }
}
