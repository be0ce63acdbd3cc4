// What the semaphore suite's actors run, in worker threads and child processes.
// Each scenario imports the submission's Semaphore by URL (actors cannot see
// the suite's @submission alias) and attaches to the suite's segment by name.
import { setTimeout as sleep } from 'node:timers/promises';
import { Segment } from '@ipc-course/shim';

interface SemaphoreLike {
  acquire(timeoutMs?: number): boolean;
  tryAcquire(): boolean;
  release(count?: number): void;
  readonly value: number;
}
type SemaphoreClass = new (segment: Segment, byteOffset: number) => SemaphoreLike;

export interface Shared {
  implementation: string;
  segment: string;
  semaphoreOffset: number;
}

async function attach(
  { implementation, segment, semaphoreOffset }: Shared,
  offset = semaphoreOffset,
) {
  const { Semaphore } = (await import(implementation)) as { Semaphore: SemaphoreClass };
  const opened = Segment.open(segment);
  return { semaphore: new Semaphore(opened, offset), segment: opened };
}

/** Raises cell `most` to `value` unless it already holds more. */
function raiseTo(segment: Segment, most: number, value: number): void {
  for (let seen = segment.load(most); value > seen; ) {
    const found = segment.compareExchange(most, seen, value);
    if (found === seen) return;
    seen = found;
  }
}

/**
 * `rounds` times: acquire one permit (every fourth round, try for a second one
 * too), count the permits held by everyone in `inside`, release what was taken.
 * Reports the rounds that found more permits held than exist, and the
 * negative values it saw; the most held at once goes to cell `most`.
 */
export async function permitPool(
  args: Shared & { inside: number; most: number; permits: number; rounds: number },
) {
  const { semaphore, segment } = await attach(args);
  let negativeValues = 0;
  let overfullRounds = 0;
  for (let round = 0; round < args.rounds; round++) {
    const taken = round % 3 === 1 ? semaphore.acquire(20_000) : semaphore.acquire();
    if (!taken)
      throw new Error(
        `round ${round}: acquire returned false, but every permit comes back within milliseconds`,
      );
    const held = round % 4 === 0 && semaphore.tryAcquire() ? 2 : 1;
    const inside = segment.add(args.inside, held) + held;
    if (inside > args.permits) overfullRounds++;
    raiseTo(segment, args.most, inside);
    if (semaphore.value < 0) negativeValues++;
    segment.sub(args.inside, held);
    semaphore.release(held);
  }
  return { negativeValues, overfullRounds };
}

/**
 * One side of a handoff through two semaphores that start at 0: `first` gives
 * a permit on `give`, then takes one from `take`; the other side does the
 * opposite. Each release is the only one its waiter will get: a lost wakeup
 * is a deadlock.
 */
export async function handoff(
  args: Shared & { give: number; take: number; first: boolean; rounds: number },
) {
  const give = (await attach(args, args.give)).semaphore;
  const take = (await attach(args, args.take)).semaphore;
  for (let round = 0; round < args.rounds; round++) {
    if (args.first) give.release();
    if (!take.acquire())
      throw new Error(`round ${round}: acquire() with no timeout returned false`);
    if (!args.first) give.release();
  }
  return { rounds: args.rounds };
}

/** Adds 1 to `flag`, blocks in acquire(); once it has a permit adds 1 to `done` and keeps the permit. */
export async function blockedAcquire(args: Shared & { flag: number; done: number }) {
  const { semaphore, segment } = await attach(args);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const wallStart = performance.now();
  const acquired = semaphore.acquire();
  const wallMs = performance.now() - wallStart;
  segment.add(args.done, 1);
  segment.notify(args.done);
  return { acquired, wallMs };
}

/** Raises `flag` if given, sleeps `afterMs`, then releases `count` permits. */
export async function releaseAfter(
  args: Shared & { afterMs: number; count: number; flag?: number },
) {
  const { semaphore, segment } = await attach(args);
  if (args.flag !== undefined) {
    segment.store(args.flag, 1);
    segment.notify(args.flag);
  }
  await sleep(args.afterMs);
  semaphore.release(args.count);
  return { released: args.count };
}

/** A timed acquire on an empty semaphore: reports what it returned and how long it took. */
export async function timedAcquire(args: Shared & { timeoutMs: number }) {
  const { semaphore } = await attach(args);
  const start = performance.now();
  const acquired = semaphore.acquire(args.timeoutMs);
  return { acquired, elapsedMs: performance.now() - start };
}

/** Tries `attempts` times on a semaphore with no permit; reports successes and time. */
export async function tryWhileEmpty(args: Shared & { attempts: number }) {
  const { semaphore } = await attach(args);
  const start = performance.now();
  let successes = 0;
  for (let i = 0; i < args.attempts; i++) if (semaphore.tryAcquire()) successes++;
  return { successes, elapsedMs: performance.now() - start };
}
