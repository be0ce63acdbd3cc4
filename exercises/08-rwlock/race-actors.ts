// The actors of the race check (race.test.ts). Each runs in a worker thread or
// a child process. A scheduler picks who runs at every shim call, so each run
// tries one interleaving of their lock and unlock calls.
import { Segment } from '@ipc-course/shim';
import { ReadersWriterLock } from './rwlock.ts';

export interface RaceArgs {
  segment: string;
  /** Where the lock is, and the cells counting readers and writers inside. */
  offset: number;
  readers: number;
  writers: number;
  rounds: number;
  /** Try tryReadLock() or tryWriteLock() first each round; block only if it fails. */
  tryFirst?: boolean;
}

/** Read sections; returns how many times a writer was inside too. */
export function readRounds(args: RaceArgs): number {
  const segment = Segment.open(args.segment);
  try {
    const lock = new ReadersWriterLock(segment, args.offset);
    let clashes = 0;
    for (let round = 0; round < args.rounds; round++) {
      if (!(args.tryFirst && lock.tryReadLock())) lock.readLock();
      segment.add(args.readers, 1);
      if (segment.load(args.writers) !== 0) clashes++;
      segment.sub(args.readers, 1);
      lock.readUnlock();
    }
    return clashes;
  } finally {
    segment.close();
  }
}

/** Write sections; returns how many times anyone else was inside too. */
export function writeRounds(args: RaceArgs): number {
  const segment = Segment.open(args.segment);
  try {
    const lock = new ReadersWriterLock(segment, args.offset);
    let clashes = 0;
    for (let round = 0; round < args.rounds; round++) {
      if (!(args.tryFirst && lock.tryWriteLock())) lock.writeLock();
      if (segment.add(args.writers, 1) !== 0 || segment.load(args.readers) !== 0) clashes++;
      segment.sub(args.writers, 1);
      lock.writeUnlock();
    }
    return clashes;
  } finally {
    segment.close();
  }
}
