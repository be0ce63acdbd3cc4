// Visible tests for exercises/07-barrier: run them with
//   npm test -- exercises/07-barrier
// They check your barrier.ts from one thread, then from worker threads at once.
// The grader's hidden tests go further (child processes, lapping, CPU use, EBROKEN
// for parties already asleep).
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, Scratch } from '@ipc-course/shim';
import { Barrier } from './barrier.ts';

// Segments and workers made by one test, removed after it whatever happened.
const scratch = new Scratch('barrier');
afterEach(() => scratch.release());
const newSegment = (byteLength: number) => scratch.segment(byteLength);
const expectCode = (action: () => unknown, code: string) => expect(errorCode(action)).toBe(code);

describe('Barrier on one thread', () => {
  it('needs 12 bytes and starts whole, with its parties', () => {
    const segment = newSegment(32);
    expect(Barrier.byteLength).toBe(12);
    const barrier = Barrier.init(segment, 8, 3);
    expect(barrier.parties).toBe(3);
    expect(barrier.broken).toBe(false);
    expect(barrier.checkInvariants()).toBeNull();
    expect(new Barrier(segment, 8).parties, 'a second instance on the same bytes').toBe(3);
  });

  it('throws EINVAL for 0, -1 or 1.5 parties', () => {
    const segment = newSegment(16);
    for (const parties of [0, -1, 1.5])
      expectCode(() => Barrier.init(segment, 0, parties), 'EINVAL');
  });

  it('returns true at once, every time, with one party', async () => {
    const barrier = Barrier.init(newSegment(16), 0, 1);
    for (let round = 0; round < 1000; round++) expect(barrier.wait()).toBe(true);
    expect(await barrier.waitAsync()).toBe(true);
    expect(barrier.checkInvariants()).toBeNull();
  });

  it('breaks when a wait times out: that wait returns false, later ones throw EBROKEN', async () => {
    const barrier = Barrier.init(newSegment(16), 0, 2);
    const start = performance.now();
    expect(barrier.wait(150), 'the wait that timed out').toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
    expect(barrier.broken).toBe(true);
    expectCode(() => barrier.wait(), 'EBROKEN');
    await expect(barrier.waitAsync()).rejects.toMatchObject({ code: 'EBROKEN' });
  });

  it('lets timers fire while waitAsync waits', async () => {
    const segment = newSegment(16);
    const barrier = Barrier.init(segment, 0, 2);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const other = setTimeout(() => new Barrier(segment, 0).waitAsync(), 200); // the second party, later
    try {
      expect(await barrier.waitAsync(5000)).toBe(false); // the other one arrived last
    } finally {
      clearInterval(timer);
      clearTimeout(other);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect(barrier.broken).toBe(false);
  });
});

describe('Barrier across worker threads', () => {
  // Cell layout shared with rounds-worker.ts (keep the two in sync).
  const GO = 4;
  const EARLY = 5;
  const ARRIVALS = 16;
  const SERIALS = ARRIVALS + 1000;

  it('lets nobody leave a round before every party arrives, and picks one serial party a round', async () => {
    const workerCount = 3;
    const rounds = 300;
    const segment = newSegment(4 * (SERIALS + rounds));
    const barrier = Barrier.init(segment, 0, workerCount);
    for (let i = 0; i < workerCount; i++) {
      scratch.worker(new URL('./rounds-worker.ts', import.meta.url), {
        name: segment.name,
        rounds,
      });
    }
    // once() rejects if the worker throws, so a crash fails the test at once.
    const nextMessages = () =>
      Promise.all(scratch.workers.map((worker) => once(worker, 'message')));
    expect((await nextMessages()).flat()).toEqual(Array(workerCount).fill('ready'));
    const done = nextMessages();
    segment.store(GO, 1);
    segment.notify(GO);
    expect((await done).flat()).toEqual(Array(workerCount).fill('done'));
    expect(segment.load(EARLY), 'rounds a worker left before every party had arrived').toBe(0);
    const serials = Array.from({ length: rounds }, (_, round) => segment.load(SERIALS + round));
    expect(
      serials.filter((n) => n !== 1).length,
      'rounds without exactly one wait() that returned true',
    ).toBe(0);
    expect(barrier.checkInvariants()).toBeNull();
  });
});
