// What the condition variable suite's actors run, in worker threads and child
// processes. Each scenario imports the submission's ConditionVariable by URL
// and the given Mutex beside it (the course's own copy: grading lays it over
// whatever the submission held), and attaches to the suite's segment by name.
// Every wait sits in a `while` loop, as the contract asks.
import { setTimeout as sleep } from 'node:timers/promises';
import { Segment, yieldThread } from '@ipc-course/shim';
import type { Mutex } from '../../../exercises/06-condition-variable/mutex.ts';

interface ConditionLike {
  wait(mutex: Mutex, timeoutMs?: number): boolean;
  signal(): void;
  broadcast(): void;
}
type ConditionClass = new (segment: Segment, byteOffset: number) => ConditionLike;

export interface Shared {
  implementation: string;
  segment: string;
  mutexOffset: number;
  conditionOffset: number;
}

async function attach({ implementation, segment, mutexOffset, conditionOffset }: Shared) {
  const { ConditionVariable } = (await import(implementation)) as {
    ConditionVariable: ConditionClass;
  };
  const { Mutex } = (await import(new URL('./mutex.ts', implementation).href)) as {
    Mutex: typeof import('../../../exercises/06-condition-variable/mutex.ts').Mutex;
  };
  const opened = Segment.open(segment);
  return {
    segment: opened,
    mutex: new Mutex(opened, mutexOffset),
    condition: new ConditionVariable(opened, conditionOffset),
    ConditionVariable,
  };
}

function raise(segment: Segment, cell: number): void {
  segment.add(cell, 1);
  segment.notify(cell);
}

/** Waiter of a pair: each round, under the mutex, asks for round r and waits until it is acknowledged. */
export async function askAndWait(args: Shared & { want: number; ack: number; rounds: number }) {
  const { segment, mutex, condition } = await attach(args);
  for (let round = 1; round <= args.rounds; round++) {
    mutex.lock();
    segment.store(args.want, round);
    while (segment.load(args.ack) < round) condition.wait(mutex);
    mutex.unlock();
  }
  return { rounds: args.rounds };
}

/**
 * Eager signaller of a pair: spins on tryLock while the waiter is about to
 * wait, so it takes the mutex the moment wait() releases it, and signals
 * before the waiter is asleep: the window of the lost wakeup.
 */
export async function acknowledgeEagerly(
  args: Shared & { want: number; ack: number; rounds: number },
) {
  const { segment, mutex, condition } = await attach(args);
  for (let round = 1; round <= args.rounds; round++) {
    // Spin while the waiter is expected soon; past that, poll in 1 ms sleeps, so
    // that a waiter stuck by a lost wakeup does not leave this actor burning a CPU.
    for (
      let tries = 1, asked = segment.load(args.want);
      asked < round;
      tries++, asked = segment.load(args.want)
    ) {
      if (tries > 20_000) segment.wait(args.want, asked, 1);
      else if (tries % 64 === 0) yieldThread();
    }
    for (let tries = 1; !mutex.tryLock(); tries++) if (tries % 1024 === 0) yieldThread();
    segment.store(args.ack, round);
    condition.signal();
    mutex.unlock();
  }
  return { rounds: args.rounds };
}

/** Waits (once announced in `arrived`) until `flag` is set; reports whether it held the mutex on return. */
export async function waitForFlag(args: Shared & { arrived: number; flag: number }) {
  const { segment, mutex, condition } = await attach(args);
  mutex.lock();
  raise(segment, args.arrived);
  const wallStart = performance.now();
  while (segment.load(args.flag) === 0) condition.wait(mutex);
  const wallMs = performance.now() - wallStart;
  // Nobody else takes the mutex after the flag is set: if tryLock succeeds, wait returned without it.
  const held = !mutex.tryLock();
  mutex.unlock();
  return { held, wallMs };
}

/** Waits until a token is there, takes one, and leaves. */
export async function takeToken(args: Shared & { arrived: number; tokens: number }) {
  const { segment, mutex, condition } = await attach(args);
  mutex.lock();
  raise(segment, args.arrived);
  while (segment.load(args.tokens) === 0) condition.wait(mutex);
  segment.sub(args.tokens, 1);
  mutex.unlock();
  return { took: 1 };
}

/** Signals `ready`, waits to be released by the test's wait(), holds the mutex for holdMs. */
export async function holdAfterRelease(
  args: Shared & { ready: number; held: number; released: number; holdMs: number },
) {
  const { segment, mutex } = await attach(args);
  raise(segment, args.ready);
  mutex.lock(); // blocks until the test's wait() releases the mutex
  segment.store(args.held, 1);
  await sleep(args.holdMs);
  segment.store(args.released, 1);
  mutex.unlock();
  return { held: true };
}

/** Signals `ready`, then after delayMs sets `flag` under the mutex and signals. */
export async function signalLater(args: Shared & { ready: number; flag: number; delayMs: number }) {
  const { segment, mutex, condition } = await attach(args);
  raise(segment, args.ready);
  await sleep(args.delayMs);
  mutex.lock();
  segment.store(args.flag, 1);
  condition.signal();
  mutex.unlock();
  return { signalled: true };
}

export interface Queue {
  notEmptyOffset: number; // conditionOffset is notFull
  capacity: number;
  count: number; // cells: count, head, tail, taken, inside, then `capacity` slots
  seen: number; // first of `total` cells: how many times each item was taken
  total: number;
}

/** Puts items [first, first + count) into the bounded buffer, ArrayBlockingQueue style. */
export async function produce(args: Shared & Queue & { first: number; items: number }) {
  const { segment, mutex, condition: notFull, ConditionVariable } = await attach(args);
  const notEmpty = new ConditionVariable(segment, args.notEmptyOffset);
  const [count, , tail, , inside, slots] = [0, 1, 2, 3, 4, 5].map((i) => args.count + i);
  let overlaps = 0;
  for (let item = args.first; item < args.first + args.items; item++) {
    mutex.lock();
    while (segment.load(count) === args.capacity) notFull.wait(mutex);
    if (segment.add(inside, 1) !== 0) overlaps++;
    const at = segment.load(tail);
    segment.store(slots + at, item + 1); // 0 means empty
    segment.store(tail, (at + 1) % args.capacity);
    segment.store(count, segment.load(count) + 1); // load + store: safe only under the mutex
    segment.sub(inside, 1);
    notEmpty.signal();
    mutex.unlock();
  }
  return { overlaps };
}

/** Takes items until all `total` are taken; counts each item it takes in `seen`. */
export async function consume(args: Shared & Queue) {
  const { segment, mutex, condition: notFull, ConditionVariable } = await attach(args);
  const notEmpty = new ConditionVariable(segment, args.notEmptyOffset);
  const [count, head, , taken, inside, slots] = [0, 1, 2, 3, 4, 5].map((i) => args.count + i);
  let overlaps = 0;
  let took = 0;
  for (;;) {
    mutex.lock();
    while (segment.load(count) === 0 && segment.load(taken) < args.total) notEmpty.wait(mutex);
    if (segment.load(count) === 0) {
      mutex.unlock(); // every item is taken: done
      break;
    }
    if (segment.add(inside, 1) !== 0) overlaps++;
    const at = segment.load(head);
    const item = segment.exchange(slots + at, 0) - 1;
    segment.store(head, (at + 1) % args.capacity);
    segment.store(count, segment.load(count) - 1);
    const takenNow = segment.load(taken) + 1;
    segment.store(taken, takenNow);
    if (item >= 0 && item < args.total) segment.add(args.seen + item, 1);
    else overlaps++; // an empty or foreign slot: the queue is corrupt
    took++;
    segment.sub(inside, 1);
    notFull.signal();
    if (takenNow === args.total) notEmpty.broadcast(); // the other consumers can stop
    mutex.unlock();
  }
  return { overlaps, took };
}
