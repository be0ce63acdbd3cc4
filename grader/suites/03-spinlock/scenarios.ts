// What the spinlock suite's actors run, in worker threads and child processes.
// Each scenario imports the submission's SpinLock by URL (actors cannot see the
// suite's @submission alias) and attaches to the suite's segment by name.
import { Segment } from '@ipc-course/shim';

interface SpinLockLike {
  lock(): void;
  tryLock(): boolean;
  unlock(): void;
}
type SpinLockClass = new (segment: Segment, byteOffset: number) => SpinLockLike;

export interface Shared {
  implementation: string;
  segment: string;
  lockOffset: number;
}

async function attach({
  implementation,
  segment,
  lockOffset,
}: Shared): Promise<{ spinLock: SpinLockLike; segment: Segment }> {
  const { SpinLock } = (await import(implementation)) as { SpinLock: SpinLockClass };
  const opened = Segment.open(segment);
  return { spinLock: new SpinLock(opened, lockOffset), segment: opened };
}

/**
 * `rounds` critical sections, each `work` non-atomic increments of `counter`;
 * counts the times another actor was inside too, and times the whole loop.
 */
export async function contendedCounter(
  args: Shared & { counter: number; inside: number; rounds: number; work: number },
) {
  const { spinLock, segment } = await attach(args);
  let overlaps = 0;
  const start = performance.now();
  for (let round = 0; round < args.rounds; round++) {
    spinLock.lock();
    if (segment.add(args.inside, 1) !== 0) overlaps++; // someone else is inside too
    for (let step = 0; step < args.work; step++) {
      const value = segment.load(args.counter);
      segment.store(args.counter, value + 1);
    }
    segment.sub(args.inside, 1);
    spinLock.unlock();
  }
  return { overlaps, wallMs: performance.now() - start };
}

/**
 * Adds 1 to `flag`, then spins in lock() until the suite releases the lock;
 * holds it for a moment (so a second waiter must wait for this one), releases it.
 * Reports its time inside lock() and the wall-clock time it got the lock.
 */
export async function lockWhenReleased(args: Shared & { flag: number; holdMs: number }) {
  const { spinLock, segment } = await attach(args);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const start = performance.now();
  spinLock.lock();
  const acquiredAt = Date.now();
  const wallMs = performance.now() - start;
  const until = performance.now() + args.holdMs;
  while (performance.now() < until); // hold it, on the CPU, like a short critical section
  spinLock.unlock();
  return { wallMs, acquiredAt };
}

/** Tries `attempts` times while someone else holds the lock; reports successes and time. */
export async function tryWhileHeld(args: Shared & { attempts: number }) {
  const { spinLock } = await attach(args);
  const start = performance.now();
  let successes = 0;
  for (let i = 0; i < args.attempts; i++) if (spinLock.tryLock()) successes++;
  return { successes, elapsedMs: performance.now() - start };
}
