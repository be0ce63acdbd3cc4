// What the mutex suite's actors run, in worker threads and child processes.
// Each scenario imports the submission's Mutex by URL (actors cannot see the
// suite's @submission alias) and attaches to the suite's segment by name.
import { setTimeout as sleep } from 'node:timers/promises';
import { Segment } from '@ipc-course/shim';

interface MutexLike {
  lock(timeoutMs?: number): boolean;
  tryLock(): boolean;
  unlock(): void;
}
type MutexClass = new (segment: Segment, byteOffset: number) => MutexLike;

export interface Shared {
  implementation: string;
  segment: string;
  mutexOffset: number;
}

async function attach({
  implementation,
  segment,
  mutexOffset,
}: Shared): Promise<{ mutex: MutexLike; segment: Segment }> {
  const { Mutex } = (await import(implementation)) as { Mutex: MutexClass };
  const opened = Segment.open(segment);
  return { mutex: new Mutex(opened, mutexOffset), segment: opened };
}

/** `rounds` critical sections, each a non-atomic increment; counts overlaps seen. */
export async function contendedCounter(
  args: Shared & { counter: number; inside: number; rounds: number },
) {
  const { mutex, segment } = await attach(args);
  let overlaps = 0;
  for (let round = 0; round < args.rounds; round++) {
    mutex.lock();
    if (segment.add(args.inside, 1) !== 0) overlaps++; // someone else is inside too
    const value = segment.load(args.counter);
    segment.store(args.counter, value + 1);
    segment.sub(args.inside, 1);
    mutex.unlock();
  }
  return { overlaps };
}

/** Takes the lock, raises `flag`, holds the lock for holdMs, releases it. */
export async function holdFor(args: Shared & { flag: number; holdMs: number }) {
  const { mutex, segment } = await attach(args);
  mutex.lock();
  segment.store(args.flag, 1);
  segment.notify(args.flag);
  await sleep(args.holdMs);
  mutex.unlock();
  return { released: true };
}

/**
 * Adds 1 to `flag`, then blocks in lock(); reports the wall time spent inside
 * lock() and, when the suite names a `released` cell, whether it read 1 there
 * once lock() returned (the suite raises it just before its unlock()). Its CPU
 * time the suite reads itself, from /proc (harness/blocked-cpu.ts).
 */
export async function blockedLock(args: Shared & { flag: number; released?: number }) {
  const { mutex, segment } = await attach(args);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const wallStart = performance.now();
  const acquired = mutex.lock();
  const wallMs = performance.now() - wallStart;
  const afterRelease = args.released === undefined ? true : segment.load(args.released) === 1;
  if (acquired) mutex.unlock();
  return { acquired, wallMs, afterRelease };
}

/** Tries `attempts` times while someone else holds the lock; reports successes and time. */
export async function tryWhileHeld(args: Shared & { attempts: number }) {
  const { mutex } = await attach(args);
  const start = performance.now();
  let successes = 0;
  for (let i = 0; i < args.attempts; i++) if (mutex.tryLock()) successes++;
  return { successes, elapsedMs: performance.now() - start };
}
