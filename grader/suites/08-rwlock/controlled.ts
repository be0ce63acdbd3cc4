// Actors of the readers-writer lock suite's controlled test (see harness/schedule/).
import { Segment } from '@ipc-course/shim';

interface RwLike {
  readLock(timeoutMs?: number): boolean;
  tryReadLock(): boolean;
  readUnlock(): void;
  writeLock(timeoutMs?: number): boolean;
  tryWriteLock(): boolean;
  writeUnlock(): void;
}
type RwClass = new (segment: Segment, byteOffset: number) => RwLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  lockOffset: number;
  readers: number;
  writers: number;
  rounds: number;
  /** Each round tries tryReadLock/tryWriteLock first, and blocks only if it fails. */
  tryFirst?: boolean;
}

async function attach(args: ControlledArgs): Promise<{ lock: RwLike; segment: Segment }> {
  const { ReadersWriterLock } = (await import(args.implementation)) as {
    ReadersWriterLock: RwClass;
  };
  const segment = Segment.open(args.segment);
  return { lock: new ReadersWriterLock(segment, args.lockOffset), segment };
}

/** Read sections; returns how many times a writer was inside with it. */
export async function readRounds(args: ControlledArgs): Promise<number> {
  const { lock, segment } = await attach(args);
  try {
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

/** Write sections; returns how many times anyone else was inside with it. */
export async function writeRounds(args: ControlledArgs): Promise<number> {
  const { lock, segment } = await attach(args);
  try {
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
