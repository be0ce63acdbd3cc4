// Visible tests for exercises/09-spsc-ring: run them with
//   npm test -- exercises/09-spsc-ring
// They check your spsc-ring.ts from one thread, then with a producer and a consumer in two worker threads,
// then stream values between two processes and print your ring's speed against the yardstick ring
// (AtomicsRing in the shim: this ring on raw Atomics; speed.ts measures). The speed is printed, not checked here.
// The grader's hidden tests go further (child processes, a linearizability check, CPU use).
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, Scratch } from '@ipc-course/shim';
import { compareWithYardstick } from './speed.ts';
import { SpscRing } from './spsc-ring.ts';

// Segments and workers made by one test, removed after it whatever happened.
const scratch = new Scratch('spsc');
afterEach(() => scratch.release());
const newSegment = (byteLength: number) => scratch.segment(byteLength);

describe('SpscRing on one thread', () => {
  it('starts empty, with its capacity', () => {
    const ring = SpscRing.init(newSegment(256), 64, 3);
    expect([ring.capacity, ring.size]).toEqual([3, 0]);
    expect(ring.checkInvariants()).toBeNull();
  });

  it('holds exactly capacity values, oldest first', () => {
    const segment = newSegment(256);
    const ring = SpscRing.init(segment, 64, 3);
    expect([ring.push(1), ring.push(2), ring.put(3, 0), ring.push(4), ring.put(5, 0)]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(ring.size).toBe(3);
    const again = new SpscRing(segment, 64); // the same ring, attached again
    expect([again.capacity, again.size]).toEqual([3, 3]);
    expect([again.pop(), again.take(0), ring.pop(), ring.pop(), ring.take(0)]).toEqual([
      1,
      2,
      3,
      undefined,
      undefined,
    ]);
  });

  it('goes round its slots many times', () => {
    const ring = SpscRing.init(newSegment(256), 0, 2);
    for (let i = 0; i < 50; i++) {
      expect([ring.push(i), ring.push(-i - 1), ring.pop(), ring.pop(), ring.pop()]).toEqual([
        true,
        true,
        i,
        -i - 1,
        undefined,
      ]);
    }
    expect(ring.checkInvariants()).toBeNull();
  });

  it('throws EINVAL for capacity 0 or 1.5, for push(1.5) and for take(-1)', () => {
    const segment = newSegment(256);
    expect(errorCode(() => SpscRing.init(segment, 0, 0))).toBe('EINVAL');
    expect(errorCode(() => SpscRing.init(segment, 0, 1.5))).toBe('EINVAL');
    const ring = SpscRing.init(segment, 0, 2);
    expect(errorCode(() => ring.push(1.5))).toBe('EINVAL');
    expect(errorCode(() => ring.put(2 ** 31))).toBe('EINVAL');
    expect(errorCode(() => ring.take(-1))).toBe('EINVAL');
    expect(ring.size).toBe(0);
  });

  it('gives up a timed take in about its time', () => {
    const ring = SpscRing.init(newSegment(256), 0, 1);
    const start = performance.now();
    expect(ring.take(150)).toBeUndefined();
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('SpscRing across two worker threads', () => {
  const GO = 0; // shared with stream-worker.ts (keep the two in sync)

  it('streams values from a producer to a consumer in order, none lost or repeated', {
    timeout: 30_000,
  }, async () => {
    const segment = newSegment(512);
    const ring = SpscRing.init(segment, 64, 4);
    const count = 20_000;
    for (const role of ['producer', 'consumer'])
      scratch.worker(new URL('./stream-worker.ts', import.meta.url), {
        name: segment.name,
        role,
        count,
      });
    // once() rejects if the worker throws, so a crash fails the test at once.
    const nextMessages = () =>
      Promise.all(scratch.workers.map((worker) => once(worker, 'message')));
    expect((await nextMessages()).flat()).toEqual(['ready', 'ready']);
    const done = nextMessages();
    segment.store(GO, 1);
    segment.notify(GO);
    const [, [consumer]] = await done;
    expect(consumer, 'values the consumer took out of place (0 expected)').toEqual({
      outOfPlace: 0,
      firstOutOfPlace: '',
    });
    expect(ring.size).toBe(0);
    expect(ring.checkInvariants()).toBeNull();
  });
});

describe('SpscRing between two processes', () => {
  it('streams rounds of 200,000 values in order, and prints its speed against the yardstick ring', {
    timeout: 180_000,
  }, async () => {
    // Throws if a value was lost, repeated or out of place (the consumer checks each one).
    const { summary } = await compareWithYardstick();
    console.log(
      `Your SpscRing: ${summary}. The grader's speed points: full from 30% of the yardstick, half from 15%.`,
    );
  });
});
