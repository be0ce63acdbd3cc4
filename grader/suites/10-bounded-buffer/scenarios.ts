// What the bounded-buffer suite's actors run, in worker threads and child
// processes. Each scenario imports the submission's BoundedBuffer by URL
// (actors cannot see the suite's @submission alias) and attaches to the
// suite's segment by name.
import { setTimeout as sleep } from 'node:timers/promises';
import { Segment } from '@ipc-course/shim';
import { HistoryRecorder } from '../../harness/history.ts';
import type { QueueInput, QueueOutput } from '../../harness/models/queue.ts';

interface BufferLike {
  put(value: number, timeoutMs?: number): boolean;
  take(timeoutMs?: number): number | undefined;
  tryPut(value: number): boolean;
  tryTake(): number | undefined;
  takeAsync(timeoutMs?: number): Promise<number | undefined>;
  putAsync(value: number, timeoutMs?: number): Promise<boolean>;
  readonly size: number;
}
type BufferClass = new (segment: Segment, byteOffset: number) => BufferLike;

export interface Shared {
  implementation: string;
  segment: string;
  bufferOffset: number;
}

async function attach({ implementation, segment, bufferOffset }: Shared) {
  const { BoundedBuffer } = (await import(implementation)) as { BoundedBuffer: BufferClass };
  const opened = Segment.open(segment);
  return { buffer: new BoundedBuffer(opened, bufferOffset), segment: opened };
}

/** A take that the test expects to return a value: undefined here is a bug, not a timeout. */
function expectValue(value: number | undefined, what: string): number {
  if (value === undefined)
    throw new Error(
      `${what} returned undefined while the buffer was open and values were still to come`,
    );
  return value;
}

/**
 * Producer of the linearizability test: puts `count` values `first`, `first + 1`, ...
 * in order; every fourth is a tryPut (retried with put if the buffer is full),
 * every third a putAsync. Returns the recorded operations.
 */
export async function recordedProducer(
  args: Shared & { clientId: string; first: number; count: number },
) {
  const { buffer } = await attach(args);
  const rec = new HistoryRecorder<QueueInput, QueueOutput>(args.clientId);
  for (let i = 0; i < args.count; i++) {
    const value = args.first + i;
    if (i % 4 === 1 && rec.record({ op: 'tryPut', value }, () => buffer.tryPut(value))) continue;
    let put: boolean;
    if (i % 3 === 2)
      put = await rec.recordAsync({ op: 'put', value }, () => buffer.putAsync(value, 20_000));
    else put = rec.record({ op: 'put', value }, () => buffer.put(value, 20_000));
    if (!put)
      throw new Error(
        `put(${value}, 20000) gave up, but consumers take values within milliseconds`,
      );
  }
  return rec.operations;
}

/** Consumer of the linearizability test: takes `count` values (tryTake every fourth, takeAsync every third). */
export async function recordedConsumer(args: Shared & { clientId: string; count: number }) {
  const { buffer } = await attach(args);
  const rec = new HistoryRecorder<QueueInput, QueueOutput>(args.clientId);
  for (let i = 0; i < args.count; i++) {
    if (i % 4 === 1 && rec.record({ op: 'tryTake' }, () => buffer.tryTake()) !== undefined)
      continue;
    if (i % 3 === 2)
      expectValue(
        await rec.recordAsync({ op: 'take' }, () => buffer.takeAsync(20_000)),
        'takeAsync(20000)',
      );
    else
      expectValue(
        rec.record({ op: 'take' }, () => buffer.take(20_000)),
        'take(20000)',
      );
  }
  return rec.operations;
}

/**
 * Capacity check. A producer counts its returned puts in `putsDone`; a consumer
 * counts its calls to take in `takesCalled` before each call. A value whose put
 * returned is in the buffer until a take called so far removes it, so
 * putsDone - takesCalled (putsDone read first) is a lower bound of the size.
 */
export async function capacityProducer(
  args: Shared & { count: number; capacity: number; putsDone: number; takesCalled: number },
) {
  const { buffer, segment } = await attach(args);
  let most = 0;
  let badSizes = 0;
  for (let i = 0; i < args.count; i++) {
    if (!buffer.put(i + 1, 20_000))
      throw new Error(`put(${i + 1}, 20000) gave up, but consumers keep taking`);
    const done = segment.add(args.putsDone, 1) + 1;
    most = Math.max(most, done - segment.load(args.takesCalled));
    const size = buffer.size;
    if (!(size >= 0 && size <= args.capacity)) badSizes++;
  }
  return { most, badSizes };
}

export async function capacityConsumer(
  args: Shared & { count: number; capacity: number; takesCalled: number },
) {
  const { buffer, segment } = await attach(args);
  let badSizes = 0;
  for (let i = 0; i < args.count; i++) {
    segment.add(args.takesCalled, 1);
    expectValue(buffer.take(20_000), 'take(20000)');
    const size = buffer.size;
    if (!(size >= 0 && size <= args.capacity)) badSizes++;
    if (i % 64 === 0) await sleep(1); // let the producers fill the buffer up
  }
  return { badSizes };
}

/** Puts 0 .. rounds-1 in order. */
export async function streamOut(args: Shared & { rounds: number }) {
  const { buffer } = await attach(args);
  for (let i = 0; i < args.rounds; i++)
    if (!buffer.put(i)) throw new Error(`put(${i}) with no timeout returned false`);
  return { rounds: args.rounds };
}

/** Takes `rounds` values; reports the first one out of order. */
export async function streamIn(args: Shared & { rounds: number }) {
  const { buffer } = await attach(args);
  for (let i = 0; i < args.rounds; i++) {
    const value = expectValue(buffer.take(), 'take()');
    if (value !== i) return { outOfOrder: `take number ${i} returned ${value}` };
  }
  return { outOfOrder: '' };
}

/** Raises `flag`, then blocks in take() (or put(value) when given); reports what happened and how long it took. */
export async function blockedCall(args: Shared & { flag: number; value?: number }) {
  const { buffer, segment } = await attach(args);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const wallStart = performance.now();
  let result: { returned?: number | boolean | null; code?: string };
  try {
    const returned = args.value === undefined ? buffer.take() : buffer.put(args.value);
    result = { returned: returned ?? null };
  } catch (error) {
    result = { code: String((error as { code?: unknown }).code ?? (error as Error).message) };
  }
  return { ...result, wallMs: performance.now() - wallStart, endedAt: Date.now() };
}

/** Raises `flag`, sleeps `afterMs`, then puts `value` (or takes one when value is undefined). */
export async function actAfter(args: Shared & { flag: number; afterMs: number; value?: number }) {
  const { buffer, segment } = await attach(args);
  segment.store(args.flag, 1);
  segment.notify(args.flag);
  await sleep(args.afterMs);
  if (args.value === undefined) return { took: buffer.take(5000) ?? null };
  return { put: buffer.put(args.value, 5000) };
}

/** A timed take on an empty buffer, or a timed put on a full one. */
export async function timedCall(args: Shared & { timeoutMs: number; value?: number }) {
  const { buffer } = await attach(args);
  const start = performance.now();
  const returned =
    args.value === undefined ? buffer.take(args.timeoutMs) : buffer.put(args.value, args.timeoutMs);
  return { returned: returned ?? null, elapsedMs: performance.now() - start };
}
