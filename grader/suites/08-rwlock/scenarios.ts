// What the readers-writer lock suite's actors run, in worker threads and child
// processes. Each scenario imports the submission's ReadersWriterLock by URL
// (actors cannot see the suite's @submission alias) and attaches to the
// suite's segment by name. Cells named in args are the suite's, outside the lock.
import { Segment } from '@ipc-course/shim';

interface LockLike {
  readLock(timeoutMs?: number): boolean;
  readUnlock(): void;
  writeLock(timeoutMs?: number): boolean;
  writeUnlock(): void;
}
type LockClass = new (segment: Segment, byteOffset: number) => LockLike;

export interface Shared {
  implementation: string;
  segment: string;
  lockOffset: number;
}

async function attach({
  implementation,
  segment,
  lockOffset,
}: Shared): Promise<{ lock: LockLike; segment: Segment }> {
  const { ReadersWriterLock } = (await import(implementation)) as { ReadersWriterLock: LockClass };
  const opened = Segment.open(segment);
  return { lock: new ReadersWriterLock(opened, lockOffset), segment: opened };
}

/** Sleeps in the futex on a cell nobody changes: a pause that holds whatever lock the caller holds. */
function nap(segment: Segment, cell: number, ms: number): void {
  segment.wait(cell, segment.load(cell), ms);
}

/**
 * `rounds` critical sections: every `writeEvery`-th (from `phase`) writes (a
 * non-atomic increment of `counter`), the others read. Counts sections that
 * saw a writer beside anyone else, and the most readers seen inside at once.
 */
export async function mixedRounds(
  args: Shared & {
    counter: number;
    readers: number;
    writers: number;
    rounds: number;
    writeEvery: number;
    phase: number;
  },
) {
  const { lock, segment } = await attach(args);
  let overlaps = 0;
  let mostReaders = 0;
  let writes = 0;
  for (let round = 0; round < args.rounds; round++) {
    if ((round + args.phase) % args.writeEvery === 0) {
      lock.writeLock();
      if (segment.add(args.writers, 1) !== 0 || segment.load(args.readers) !== 0) overlaps++;
      const value = segment.load(args.counter);
      segment.store(args.counter, value + 1);
      if (segment.load(args.readers) !== 0) overlaps++; // a reader came in during the write
      segment.sub(args.writers, 1);
      lock.writeUnlock();
      writes++;
    } else {
      lock.readLock();
      mostReaders = Math.max(mostReaders, segment.add(args.readers, 1) + 1);
      if (segment.load(args.writers) !== 0) overlaps++;
      segment.load(args.counter);
      if (segment.load(args.writers) !== 0) overlaps++;
      segment.sub(args.readers, 1);
      lock.readUnlock();
    }
  }
  return { overlaps, mostReaders, writes };
}

/** Takes a read share, then stays inside until `parties` readers have arrived (or waitMs passes). */
export async function readTogether(
  args: Shared & { arrived: number; parties: number; waitMs: number },
) {
  const { lock, segment } = await attach(args);
  const start = performance.now();
  if (!lock.readLock(args.waitMs)) return { entered: false, together: false };
  segment.add(args.arrived, 1);
  segment.notify(args.arrived);
  const deadline = start + args.waitMs;
  for (
    let seen = segment.load(args.arrived);
    seen < args.parties;
    seen = segment.load(args.arrived)
  ) {
    const remaining = deadline - performance.now();
    if (remaining <= 0) break;
    segment.wait(args.arrived, seen, remaining);
  }
  const together = segment.load(args.arrived) >= args.parties;
  lock.readUnlock();
  return { entered: true, together };
}

/** Reads again and again, holding each share for about holdMs, until `stop` is set or stopAfterMs has passed. */
export async function keepReading(
  args: Shared & { reads: number; stop: number; nap: number; holdMs: number; stopAfterMs: number },
) {
  const { lock, segment } = await attach(args);
  const deadline = performance.now() + args.stopAfterMs;
  let reads = 0;
  while (segment.load(args.stop) === 0 && performance.now() < deadline) {
    if (!lock.readLock(1000)) continue;
    segment.add(args.reads, 1);
    segment.notify(args.reads);
    nap(segment, args.nap, args.holdMs);
    lock.readUnlock();
    reads++;
  }
  return { reads };
}

/** Once `readsBefore` reads have happened, takes the write lock `times` times; reports each wait; then sets `stop`. */
export async function writeAmongReaders(
  args: Shared & {
    reads: number;
    readsBefore: number;
    stop: number;
    nap: number;
    times: number;
    timeoutMs: number;
  },
) {
  const { lock, segment } = await attach(args);
  const waits: number[] = [];
  try {
    const ready = performance.now() + 10_000;
    for (
      let seen = segment.load(args.reads);
      seen < args.readsBefore && performance.now() < ready;
      seen = segment.load(args.reads)
    ) {
      segment.wait(args.reads, seen, 100);
    }
    for (let i = 0; i < args.times; i++) {
      const start = performance.now();
      const acquired = lock.writeLock(args.timeoutMs);
      waits.push(performance.now() - start);
      if (!acquired) return { acquired: false, waits };
      nap(segment, args.nap, 2);
      lock.writeUnlock();
      nap(segment, args.nap, 20); // let the readers back in before the next write
    }
    return { acquired: true, waits };
  } finally {
    segment.store(args.stop, 1);
  }
}

/** Adds 1 to `flag`, then blocks in readLock or writeLock; reports the result and the wall time inside the call. */
export async function blocked(
  args: Shared & { flag: number; side: 'read' | 'write'; timeoutMs?: number },
) {
  const { lock, segment } = await attach(args);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const wallStart = performance.now();
  const acquired =
    args.side === 'read' ? lock.readLock(args.timeoutMs) : lock.writeLock(args.timeoutMs);
  const wallMs = performance.now() - wallStart;
  if (acquired) {
    if (args.side === 'read') lock.readUnlock();
    else lock.writeUnlock();
  }
  return { acquired, wallMs };
}
