// What the SPSC ring suite's actors run, in worker threads and child processes.
// Each scenario imports the submission's SpscRing by URL (actors cannot see the
// suite's @submission alias) and attaches to the suite's segment by name.
// One actor is the producer of a ring and one its consumer, never more: that
// is the ring's contract.
import { setTimeout as sleep } from 'node:timers/promises';
import { Segment } from '@ipc-course/shim';
import { HistoryRecorder } from '../../harness/history.ts';
import type { QueueInput, QueueOutput } from '../../harness/models/queue.ts';

interface RingLike {
  push(value: number): boolean;
  pop(): number | undefined;
  put(value: number, timeoutMs?: number): boolean;
  take(timeoutMs?: number): number | undefined;
  readonly size: number;
}
type RingClass = new (segment: Segment, byteOffset: number) => RingLike;

export interface Shared {
  implementation: string;
  segment: string;
  ringOffset: number;
}

async function attach({ implementation, segment, ringOffset }: Shared) {
  const { SpscRing } = (await import(implementation)) as { SpscRing: RingClass };
  const opened = Segment.open(segment);
  return { ring: new SpscRing(opened, ringOffset), segment: opened };
}

/** A take that the test expects to return a value: undefined here is a bug, not a timeout. */
function expectValue(value: number | undefined, what: string): number {
  if (value === undefined)
    throw new Error(`${what} returned undefined while values were still coming`);
  return value;
}

/** A put that the test expects to succeed: the consumer keeps taking. */
function expectPut(put: boolean, what: string): void {
  if (!put) throw new Error(`${what} gave up, but the consumer keeps taking`);
}

/**
 * Pushes 0, 1, 2, ... count - 1: push while there is room; when full, it polls
 * with push a little (to meet the consumer at the slot it frees), then puts, which sleeps.
 */
export async function sequenceProducer(args: Shared & { count: number }) {
  const { ring } = await attach(args);
  for (let i = 0; i < args.count; i++) {
    let pushed = ring.push(i);
    for (let spin = 0; !pushed && spin < 64; spin++) pushed = ring.push(i);
    if (!pushed) expectPut(ring.put(i, 20_000), `put(${i}, 20000)`);
  }
  return {};
}

/**
 * Takes `count` values, which must be 0, 1, 2, ...: each value is its own
 * sequence number, so a slot read before its value was published shows the
 * value of `capacity` pushes earlier (or 0), and one freed too early shows a later one.
 * It polls with pop a little before it sleeps in take, to meet the producer at the newest slot.
 */
export async function sequenceConsumer(args: Shared & { count: number; pauseEvery: number }) {
  const { ring } = await attach(args);
  let wrong = 0;
  let firstWrong = '';
  for (let i = 0; i < args.count; i++) {
    let value = ring.pop();
    for (let spin = 0; value === undefined && spin < 64; spin++) value = ring.pop();
    value ??= expectValue(ring.take(20_000), 'take(20000)');
    if (value !== i && wrong++ === 0) firstWrong = `value number ${i} came out as ${value}`;
    if (i % args.pauseEvery === args.pauseEvery - 1) await sleep(1); // let the producer fill the ring
  }
  return { wrong, firstWrong };
}

/** Producer of the linearizability test: values first .. first + count - 1, by push (put if refused) or put. */
export async function recordedProducer(args: Shared & { first: number; count: number }) {
  const { ring } = await attach(args);
  const rec = new HistoryRecorder<QueueInput, QueueOutput>('producer');
  for (let i = 0; i < args.count; i++) {
    const value = args.first + i;
    if (i % 3 !== 2 && rec.record({ op: 'tryPut', value }, () => ring.push(value))) continue;
    expectPut(
      rec.record({ op: 'put', value }, () => ring.put(value, 20_000)),
      `put(${value}, 20000)`,
    );
  }
  return rec.operations;
}

/** Consumer of the linearizability test: pop (take if empty) or take, `count` values. */
export async function recordedConsumer(args: Shared & { count: number }) {
  const { ring } = await attach(args);
  const rec = new HistoryRecorder<QueueInput, QueueOutput>('consumer');
  for (let i = 0; i < args.count; i++) {
    if (i % 3 !== 1 && rec.record({ op: 'tryTake' }, () => ring.pop()) !== undefined) continue;
    expectValue(
      rec.record({ op: 'take' }, () => ring.take(20_000)),
      'take(20000)',
    );
    if (i % 16 === 0) await sleep(1); // let the ring fill, so that pushes are refused too
  }
  return rec.operations;
}

interface CapacityCells {
  popsStarted: number;
  popsDone: number;
}

/**
 * Capacity check, from the producer's side. The consumer counts each value in
 * `popsStarted` before it pops and in `popsDone` after, so at any instant
 * popsDone <= values popped <= popsStarted. With P values pushed so far, a push
 * that returned false while P - popsDone (read before it) < capacity was refused
 * with room to spare; one that returned true while P - popsStarted (read after
 * it) >= capacity went into a full ring.
 */
export async function capacityProducer(
  args: Shared & CapacityCells & { count: number; capacity: number },
) {
  const { ring, segment } = await attach(args);
  const report = { refused: 0, refusedWithRoom: '', acceptedWhenFull: '', badSize: '' };
  for (let pushed = 0; pushed < args.count; pushed++) {
    const doneBefore = segment.load(args.popsDone);
    const ok = ring.push(pushed);
    const startedAfter = segment.load(args.popsStarted);
    if (!ok && pushed - doneBefore < args.capacity)
      report.refusedWithRoom ||= `push number ${pushed} returned false with at most ${pushed - doneBefore} values in the ring`;
    if (ok && pushed - startedAfter >= args.capacity)
      report.acceptedWhenFull ||= `push number ${pushed} returned true with at least ${pushed - startedAfter} values already in the ring`;
    if (!ok) {
      report.refused++;
      expectPut(ring.put(pushed, 20_000), `put(${pushed}, 20000)`);
    }
    const size = ring.size;
    if (!(size >= 0 && size <= args.capacity))
      report.badSize ||= `size was ${size} after push number ${pushed}`;
  }
  return report;
}

export async function capacityConsumer(args: Shared & CapacityCells & { count: number }) {
  const { ring, segment } = await attach(args);
  let wrong = '';
  for (let i = 0; i < args.count; i++) {
    segment.add(args.popsStarted, 1);
    const value = ring.pop() ?? expectValue(ring.take(20_000), 'take(20000)');
    segment.add(args.popsDone, 1);
    if (value !== i) wrong ||= `value number ${i} came out as ${value}`;
    if (i % 32 === 31) await sleep(1); // asleep, popsDone is exact: the producer fills the ring up
  }
  return { wrong };
}

/** Puts 0 .. rounds - 1 with put (no timeout): it sleeps whenever the 1-slot ring is full. */
export async function putOnly(args: Shared & { rounds: number }) {
  const { ring } = await attach(args);
  for (let i = 0; i < args.rounds; i++) expectPut(ring.put(i), `put(${i})`);
  return { wrong: '' };
}

/** Takes `rounds` values with take (no timeout); reports the first one out of order. */
export async function takeOnly(args: Shared & { rounds: number }) {
  const { ring } = await attach(args);
  for (let i = 0; i < args.rounds; i++) {
    const value = expectValue(ring.take(), 'take()');
    if (value !== i) return { wrong: `take number ${i} returned ${value}` };
  }
  return { wrong: '' };
}

/** Ping: puts i into ring `there`, then waits for it to come back on ring `back`. */
export async function ping(args: Shared & { rounds: number; backOffset: number }) {
  const { ring: there, segment } = await attach(args);
  const { SpscRing } = (await import(args.implementation)) as { SpscRing: RingClass };
  const back = new SpscRing(segment, args.backOffset);
  for (let i = 0; i < args.rounds; i++) {
    expectPut(there.put(i), `put(${i})`);
    const value = expectValue(back.take(), 'take()');
    if (value !== i) return { wrong: `round ${i} came back as ${value}` };
  }
  return { wrong: '' };
}

/** Pong: takes each value from ring `there` and puts it back on ring `back`. */
export async function pong(args: Shared & { rounds: number; backOffset: number }) {
  const { ring: there, segment } = await attach(args);
  const { SpscRing } = (await import(args.implementation)) as { SpscRing: RingClass };
  const back = new SpscRing(segment, args.backOffset);
  for (let i = 0; i < args.rounds; i++)
    expectPut(back.put(expectValue(there.take(), 'take()')), 'put');
  return { wrong: '' };
}

/** A timed take on an empty ring, or a timed put on a full one (when `value` is given). */
export async function timedCall(args: Shared & { timeoutMs: number; value?: number }) {
  const { ring } = await attach(args);
  const start = performance.now();
  const returned =
    args.value === undefined ? ring.take(args.timeoutMs) : ring.put(args.value, args.timeoutMs);
  return { returned: returned ?? null, elapsedMs: performance.now() - start };
}

/** Raises `flag`, then blocks in take() (or put(value) when given); reports its wall time. */
export async function blockedCall(args: Shared & { flag: number; value?: number }) {
  const { ring, segment } = await attach(args);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const wallStart = performance.now();
  const returned = args.value === undefined ? ring.take() : ring.put(args.value);
  return { returned: returned ?? null, wallMs: performance.now() - wallStart };
}
