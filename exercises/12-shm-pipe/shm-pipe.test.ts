// Visible tests for exercises/12-shm-pipe: run them with
//   npm test -- exercises/12-shm-pipe
// They check your shm-pipe.ts from one thread, then with a writer and a reader
// in worker threads. The grader's hidden tests go further (child processes,
// 8 MiB of random bytes, tiny pipes, CPU use while blocked).
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, errorCodeAsync, Scratch } from '@ipc-course/shim';
import { ShmPipe } from './shm-pipe.ts';

// Segments and workers made by one test, removed after it whatever happened.
const scratch = new Scratch('shm-pipe');
afterEach(() => scratch.release());
const PIPE_OFFSET = 64; // shared with pipe-worker.ts (keep the two in sync)
const bytes = (...values: number[]) => Uint8Array.from(values);
const list = (got: Uint8Array | undefined) => (got === undefined ? undefined : [...got]);

function newPipe(capacity: number) {
  const segment = scratch.segment(PIPE_OFFSET + ShmPipe.byteLength(capacity) + 64);
  return { segment, pipe: ShmPipe.init(segment, PIPE_OFFSET, capacity) };
}

/** Starts pipe-worker.ts in each role; once all are attached, runs `whenReady`, then resolves with their results. */
async function inWorkers(
  segmentName: string,
  roles: object[],
  whenReady = async () => {},
): Promise<unknown[]> {
  const workers = roles.map((role) =>
    scratch.worker(new URL('./pipe-worker.ts', import.meta.url), { name: segmentName, ...role }),
  );
  await Promise.all(workers.map((worker) => once(worker, 'message'))); // 'ready'; once() rejects if a worker throws
  const results = Promise.all(workers.map((worker) => once(worker, 'message')));
  await whenReady();
  return (await results).map(([result]) => result);
}

describe('ShmPipe on one thread', () => {
  it('gives bytes back in order, with short reads', () => {
    const { segment, pipe } = newPipe(8);
    expect(pipe.capacity).toBe(8);
    expect(pipe.write(bytes(1, 2, 3, 4, 5))).toBe(5);
    expect(list(pipe.read(2))).toEqual([1, 2]);
    expect(list(pipe.read(100)), 'read returns what is there, up to maxBytes').toEqual([3, 4, 5]);
    expect(
      list(pipe.read(100, 0)),
      'empty and open: a timed read gives up with undefined',
    ).toBeUndefined();
    const again = new ShmPipe(segment, PIPE_OFFSET); // the same pipe, attached again
    expect(again.write(bytes(6, 7, 8, 9, 10, 11))).toBe(6);
    expect(list(pipe.read(100)), 'these bytes cross the end of the ring').toEqual([
      6, 7, 8, 9, 10, 11,
    ]);
    expect(pipe.checkInvariants()).toBeNull();
  });

  it('writes only what fits with partial: true, and gives up a full write on timeout', () => {
    const { pipe } = newPipe(4);
    expect(pipe.write(bytes(1, 2, 3))).toBe(3);
    expect(pipe.write(bytes(4, 5, 6), { partial: true }), 'room for one byte').toBe(1);
    expect(pipe.write(bytes(7), { partial: true, timeoutMs: 0 }), 'full: nothing fits').toBe(0);
    const start = performance.now();
    expect(
      pipe.write(bytes(7), { timeoutMs: 150 }),
      'full: the timeout passes with 0 bytes written',
    ).toBe(0);
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
    expect(list(pipe.read(10))).toEqual([1, 2, 3, 4]);
  });

  it('reads end of file only after the last byte, once the writer has closed', async () => {
    const { pipe } = newPipe(8);
    pipe.write(bytes(1, 2, 3));
    pipe.closeWriter();
    expect(errorCode(() => pipe.write(bytes(4)))).toBe('ECLOSED');
    expect(list(pipe.read(2))).toEqual([1, 2]);
    expect(list(pipe.read(2))).toEqual([3]);
    expect(list(pipe.read(2)), 'end of file: an empty array').toEqual([]);
    expect(list(await pipe.readAsync(2))).toEqual([]);
  });

  it('throws EPIPE for a write once the reader has closed', () => {
    const { pipe } = newPipe(8);
    pipe.closeReader();
    expect(errorCode(() => pipe.write(bytes(1)))).toBe('EPIPE');
  });

  it('throws EINVAL for bad arguments', async () => {
    const { segment, pipe } = newPipe(8);
    expect(errorCode(() => ShmPipe.init(segment, 0, 0))).toBe('EINVAL');
    expect(errorCode(() => pipe.read(0))).toBe('EINVAL');
    expect(errorCode(() => pipe.write('abc' as unknown as Uint8Array))).toBe('EINVAL');
    expect(await errorCodeAsync(() => pipe.readAsync(1.5))).toBe('EINVAL');
  });

  it('lets timers fire while readAsync waits', async () => {
    const { pipe } = newPipe(8);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const writeLater = setTimeout(() => pipe.write(bytes(42)), 200);
    try {
      expect(list(await pipe.readAsync(8, 5000))).toEqual([42]);
    } finally {
      clearInterval(timer);
      clearTimeout(writeLater);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
  });
});

describe('ShmPipe across worker threads', () => {
  it('streams 20,000 bytes through 64 from a writer worker to a reader worker', async () => {
    const { pipe, segment } = newPipe(64);
    const [, reader] = await inWorkers(segment.name, [
      { role: 'writer', count: 20_000, chunk: 150 },
      { role: 'reader', chunk: 100 },
    ]);
    expect(reader).toEqual({ read: 20_000, problem: '' });
    expect(pipe.checkInvariants()).toBeNull();
  });

  it('wakes a writer asleep on a full pipe with EPIPE when the reader closes', async () => {
    const { pipe, segment } = newPipe(16);
    const result = await inWorkers(
      segment.name,
      [{ role: 'blocked-writer', count: 40 }],
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 300)); // it fills the pipe, then sleeps
        pipe.closeReader();
      },
    );
    expect(result).toEqual([{ code: 'EPIPE' }]);
  });
});
