// Visible tests for exercises/10-bounded-buffer: run them with
//   npm test -- exercises/10-bounded-buffer
// They check your bounded-buffer.ts from one thread, then from worker threads at once.
// The grader's hidden tests go further (child processes, a linearizability check, CPU use).
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCodeAsync, Scratch } from '@ipc-course/shim';
import { BoundedBuffer } from './bounded-buffer.ts';

// Segments and workers made by one test, removed after it whatever happened.
const scratch = new Scratch('buffer');
afterEach(() => scratch.release());
const newSegment = (byteLength: number) => scratch.segment(byteLength);
const expectCode = async (action: () => unknown, code: string) =>
  expect(await errorCodeAsync(action)).toBe(code);

describe('BoundedBuffer on one thread', () => {
  it('starts empty, with its capacity', () => {
    const buffer = BoundedBuffer.init(newSegment(256), 64, 3);
    expect([buffer.capacity, buffer.size]).toEqual([3, 0]);
    expect(buffer.checkInvariants()).toBeNull();
  });

  it('gives values back oldest first, and refuses a put when full', () => {
    const segment = newSegment(256);
    const buffer = BoundedBuffer.init(segment, 64, 2);
    expect([buffer.put(1), buffer.tryPut(2), buffer.tryPut(3), buffer.put(4, 0)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(buffer.size).toBe(2);
    const again = new BoundedBuffer(segment, 64); // the same buffer, attached again
    expect([again.take(), again.tryTake(), again.tryTake(), again.take(0)]).toEqual([
      1,
      2,
      undefined,
      undefined,
    ]);
  });

  it('goes round its slots many times', () => {
    const buffer = BoundedBuffer.init(newSegment(256), 0, 3);
    for (let i = 0; i < 50; i++) {
      expect([buffer.put(i), buffer.put(-i - 1), buffer.take(), buffer.take()]).toEqual([
        true,
        true,
        i,
        -i - 1,
      ]);
    }
    expect(buffer.checkInvariants()).toBeNull();
  });

  it('throws EINVAL for capacity 0 or 1.5, and for put(1.5)', async () => {
    const segment = newSegment(256);
    await expectCode(() => BoundedBuffer.init(segment, 0, 0), 'EINVAL');
    await expectCode(() => BoundedBuffer.init(segment, 0, 1.5), 'EINVAL');
    await expectCode(() => BoundedBuffer.init(segment, 0, 2).put(1.5), 'EINVAL');
  });

  it('after close: puts throw ECLOSED, takes drain, then return undefined at once', async () => {
    const buffer = BoundedBuffer.init(newSegment(256), 0, 2);
    buffer.put(7);
    buffer.close();
    await expectCode(() => buffer.put(8), 'ECLOSED');
    await expectCode(() => buffer.tryPut(8), 'ECLOSED');
    await expectCode(() => buffer.putAsync(8), 'ECLOSED');
    expect(buffer.take()).toBe(7);
    const start = performance.now();
    expect([buffer.take(), await buffer.takeAsync()]).toEqual([undefined, undefined]);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('gives up a timed take in about its time', () => {
    const buffer = BoundedBuffer.init(newSegment(256), 0, 1);
    const start = performance.now();
    expect(buffer.take(150)).toBeUndefined();
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(2000);
  });

  it('lets timers fire while takeAsync waits, and close wakes it', async () => {
    const buffer = BoundedBuffer.init(newSegment(256), 0, 1);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const putLater = setTimeout(() => buffer.put(5), 200);
    try {
      expect(await buffer.takeAsync(5000)).toBe(5);
    } finally {
      clearInterval(timer);
      clearTimeout(putLater);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
    const waiting = [buffer.takeAsync(5000), buffer.takeAsync(5000)];
    setTimeout(() => buffer.close(), 100);
    expect(await Promise.all(waiting)).toEqual([undefined, undefined]);
  });
});

describe('BoundedBuffer across worker threads', () => {
  const GO = 0; // shared with pipe-worker.ts (keep the two in sync)

  it('takes every value exactly once across worker threads', async () => {
    const segment = newSegment(512);
    const buffer = BoundedBuffer.init(segment, 64, 2);
    const count = 1000;
    const roles = [
      { role: 'producer', first: 0, count },
      { role: 'producer', first: 100_000, count },
      { role: 'consumer', first: 0, count },
      { role: 'consumer', first: 0, count },
    ];
    for (const role of roles)
      scratch.worker(new URL('./pipe-worker.ts', import.meta.url), { name: segment.name, ...role });
    // once() rejects if the worker throws, so a crash fails the test at once.
    const nextMessages = () =>
      Promise.all(scratch.workers.map((worker) => once(worker, 'message')));
    expect((await nextMessages()).flat()).toEqual(Array(roles.length).fill('ready'));
    const done = nextMessages();
    segment.store(GO, 1);
    segment.notify(GO);
    const [, , first, second] = (await done).map(([taken]) => taken as number[]);
    const all = [...first, ...second].sort((a, b) => a - b);
    const expected = [
      ...Array(count).keys(),
      ...Array.from({ length: count }, (_, i) => 100_000 + i),
    ];
    expect(all, 'every value taken exactly once').toEqual(expected);
    for (const taken of [first, second]) {
      const fromOne = taken.filter((v) => v < 100_000);
      expect(fromOne, "a consumer sees one producer's values in the order they were put").toEqual(
        [...fromOne].sort((a, b) => a - b),
      );
    }
    expect(buffer.size).toBe(0);
    expect(buffer.checkInvariants()).toBeNull();
  });
});
