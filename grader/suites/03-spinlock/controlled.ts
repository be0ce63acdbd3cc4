// Actors of the spinlock suite's controlled test (see harness/schedule/).
import { Segment } from '@ipc-course/shim';

interface SpinLockLike {
  lock(): void;
  tryLock(): boolean;
  unlock(): void;
}
type SpinLockClass = new (segment: Segment, byteOffset: number) => SpinLockLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  lockOffset: number;
  counter: number;
  inside: number;
  rounds: number;
  /** mixedRounds: each round tries tryLock first, and calls lock() only if it fails. */
  tryFirst?: boolean;
}

/** `rounds` critical sections; returns how many times it found someone else inside. */
export async function spinRounds(args: ControlledArgs): Promise<number> {
  const { SpinLock } = (await import(args.implementation)) as { SpinLock: SpinLockClass };
  const segment = Segment.open(args.segment);
  try {
    const lock = new SpinLock(segment, args.lockOffset);
    let overlaps = 0;
    for (let round = 0; round < args.rounds; round++) {
      lock.lock();
      if (segment.add(args.inside, 1) !== 0) overlaps++;
      segment.store(args.counter, segment.load(args.counter) + 1);
      segment.sub(args.inside, 1);
      lock.unlock();
    }
    return overlaps;
  } finally {
    segment.close();
  }
}

/**
 * `rounds` critical sections, each entered by tryLock() when `tryFirst` and it
 * succeeds, else by lock(): tryLock then races lock() and other tryLocks.
 * Returns the overlaps seen and how many rounds tryLock took the lock.
 */
export async function mixedRounds(
  args: ControlledArgs,
): Promise<{ overlaps: number; tried: number }> {
  const { SpinLock } = (await import(args.implementation)) as { SpinLock: SpinLockClass };
  const segment = Segment.open(args.segment);
  try {
    const lock = new SpinLock(segment, args.lockOffset);
    let overlaps = 0;
    let tried = 0;
    for (let round = 0; round < args.rounds; round++) {
      if (args.tryFirst && lock.tryLock()) tried++;
      else lock.lock();
      if (segment.add(args.inside, 1) !== 0) overlaps++;
      segment.store(args.counter, segment.load(args.counter) + 1);
      segment.sub(args.inside, 1);
      lock.unlock();
    }
    return { overlaps, tried };
  } finally {
    segment.close();
  }
}
