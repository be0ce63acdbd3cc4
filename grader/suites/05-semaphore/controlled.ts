// Actors of the semaphore suite's controlled test (see harness/schedule/).
import { Segment } from '@ipc-course/shim';

interface SemaphoreLike {
  acquire(timeoutMs?: number): boolean;
  tryAcquire(): boolean;
  acquireAsync(timeoutMs?: number): Promise<boolean>;
  release(count?: number): void;
  readonly value: number;
}
type SemaphoreClass = new (segment: Segment, byteOffset: number) => SemaphoreLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  semaphoreOffset: number;
  timeoutMs?: number;
  /** acquireOnce: do nothing (a smaller version of the scenario leaves this actor out). */
  idle?: boolean;
  /** releaseOneThenTwo: the counts to release, in turn, instead of 1 then 2. */
  releases?: number[];
}

async function attach(
  args: ControlledArgs,
): Promise<{ semaphore: SemaphoreLike; segment: Segment }> {
  const { Semaphore } = (await import(args.implementation)) as { Semaphore: SemaphoreClass };
  const segment = Segment.open(args.segment);
  return { semaphore: new Semaphore(segment, args.semaphoreOffset), segment };
}

/** One acquire (timed if timeoutMs is given); returns whether it got a permit, and the value it saw right after. */
export async function acquireOnce(
  args: ControlledArgs,
): Promise<{ acquired: boolean; valueAfter: number } | null> {
  if (args.idle) return null;
  const { semaphore, segment } = await attach(args);
  try {
    const acquired = semaphore.acquire(args.timeoutMs);
    return { acquired, valueAfter: semaphore.value };
  } finally {
    segment.close();
  }
}

/** release(1), then release(2): three permits in all (or the counts in `releases`). */
export async function releaseOneThenTwo(args: ControlledArgs): Promise<void> {
  const { semaphore, segment } = await attach(args);
  try {
    for (const count of args.releases ?? [1, 2]) semaphore.release(count);
  } finally {
    segment.close();
  }
}

/**
 * Takes one permit as `how` says: tryAcquire first, then acquire() or
 * acquireAsync() if it failed. Returns how, and the value it saw right after.
 */
export async function tryThenAcquire(
  args: ControlledArgs & { how: 'acquire' | 'acquireAsync' },
): Promise<{ acquired: boolean; tried: boolean; valueAfter: number }> {
  const { semaphore, segment } = await attach(args);
  try {
    const tried = semaphore.tryAcquire();
    const acquired =
      tried || (args.how === 'acquireAsync' ? await semaphore.acquireAsync() : semaphore.acquire());
    return { acquired, tried, valueAfter: semaphore.value };
  } finally {
    segment.close();
  }
}

/** release(1) twice. */
export async function releaseTwice(args: ControlledArgs): Promise<void> {
  const { semaphore, segment } = await attach(args);
  try {
    semaphore.release();
    semaphore.release();
  } finally {
    segment.close();
  }
}
