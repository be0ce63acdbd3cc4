// Visible tests for exercises/04-mutex: run them with
//   npm test -- exercises/04-mutex
// They check your mutex.ts from one thread, then from worker threads at once.
// The grader's hidden tests go further (child processes, lost wakeups, CPU use).
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, Scratch } from '@ipc-course/shim';
import { Mutex } from './mutex.ts';

// Segments and workers made by one test, removed after it whatever happened.
const scratch = new Scratch('mutex');
afterEach(() => scratch.release());
const newSegment = (byteLength: number) => scratch.segment(byteLength);
const expectCode = (action: () => unknown, code: string) => expect(errorCode(action)).toBe(code);

describe('Mutex on one thread', () => {
  it('needs 4 bytes and starts unlocked', () => {
    const segment = newSegment(16);
    expect(Mutex.byteLength).toBe(4);
    const mutex = Mutex.init(segment, 8);
    expect(mutex.checkInvariants()).toBeNull();
    expect(mutex.tryLock()).toBe(true);
  });

  it('lets tryLock take a free lock once, and never a held one', () => {
    const mutex = Mutex.init(newSegment(16), 0);
    expect(mutex.tryLock()).toBe(true);
    expect(mutex.tryLock()).toBe(false);
    mutex.unlock();
    expect(mutex.tryLock()).toBe(true);
    expect(mutex.checkInvariants()).toBeNull();
  });

  it('shares one lock between instances attached to the same offset', () => {
    const segment = newSegment(16);
    const first = Mutex.init(segment, 4);
    const second = new Mutex(segment, 4);
    expect(first.tryLock()).toBe(true);
    expect(second.tryLock()).toBe(false);
    first.unlock();
    expect(second.lock()).toBe(true);
  });

  it('throws EPERM when unlocking a mutex that is not locked', () => {
    const mutex = Mutex.init(newSegment(16), 0);
    expectCode(() => mutex.unlock(), 'EPERM');
    mutex.lock();
    mutex.unlock();
    expectCode(() => mutex.unlock(), 'EPERM');
    expect(mutex.checkInvariants()).toBeNull();
    expect(mutex.tryLock()).toBe(true);
  });

  it('rejects an unaligned offset (EALIGN) and one past the end (ERANGE)', () => {
    const segment = newSegment(16);
    expectCode(() => new Mutex(segment, 2), 'EALIGN');
    expectCode(() => new Mutex(segment, 16), 'ERANGE');
  });

  it('tries once and returns false at once for a timeout of 0', () => {
    const mutex = Mutex.init(newSegment(16), 0);
    expect(mutex.lock(0)).toBe(true);
    const start = performance.now();
    expect(mutex.lock(0)).toBe(false);
    expect(performance.now() - start).toBeLessThan(50);
  });

  it('gives up a timed lock in about its time, then still works', () => {
    const mutex = Mutex.init(newSegment(16), 0);
    mutex.lock();
    const start = performance.now();
    expect(mutex.lock(150)).toBe(false);
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(2000);
    expect(mutex.checkInvariants()).toBeNull();
    mutex.unlock();
    expect(mutex.lock(150)).toBe(true);
  });

  it('lets timers fire while lockAsync waits', async () => {
    const mutex = Mutex.init(newSegment(16), 0);
    mutex.lock();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const release = setTimeout(() => mutex.unlock(), 200);
    try {
      expect(await mutex.lockAsync(5000)).toBe(true);
    } finally {
      clearInterval(timer);
      clearTimeout(release);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect(await mutex.lockAsync(100)).toBe(false);
    mutex.unlock();
  });

  it('describes a corrupted cell in one line', () => {
    const segment = newSegment(16);
    const mutex = Mutex.init(segment, 4);
    segment.store(1, 7);
    const report = mutex.checkInvariants();
    expect(report).toMatch(/7/);
    expect(report).not.toMatch(/\n/);
  });
});

describe('Mutex across worker threads', () => {
  // Cell layout shared with counter-worker.ts (keep the two in sync).
  const COUNTER = 1;
  const OVERLAPS = 3;
  const GO = 4;

  it('never lets two holders in at once', async () => {
    const workerCount = 3;
    const rounds = 3000;
    const segment = newSegment(32);
    const mutex = Mutex.init(segment, 0);
    for (let i = 0; i < workerCount; i++) {
      scratch.worker(new URL('./counter-worker.ts', import.meta.url), {
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
    expect(segment.load(OVERLAPS), 'times a worker entered while another held the lock').toBe(0);
    expect(segment.load(COUNTER), 'increments made under the lock').toBe(workerCount * rounds);
    expect(mutex.checkInvariants()).toBeNull();
    expect(mutex.tryLock(), 'the lock is free again when every worker is done').toBe(true);
  });
});
