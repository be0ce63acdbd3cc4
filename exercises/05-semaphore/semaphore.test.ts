// Visible tests for exercises/05-semaphore: run them with
//   npm test -- exercises/05-semaphore
// They check your semaphore.ts from one thread, then from worker threads at once.
// The grader's hidden tests go further (child processes, lost wakeups, CPU use).
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, Scratch } from '@ipc-course/shim';
import { Semaphore } from './semaphore.ts';

// Segments and workers made by one test, removed after it whatever happened.
const scratch = new Scratch('semaphore');
afterEach(() => scratch.release());
const newSegment = (byteLength: number) => scratch.segment(byteLength);
const expectCode = (action: () => unknown, code: string) => expect(errorCode(action)).toBe(code);

describe('Semaphore on one thread', () => {
  it('needs 8 bytes and starts with its initial permits', () => {
    const segment = newSegment(32);
    expect(Semaphore.byteLength).toBe(8);
    const semaphore = Semaphore.init(segment, 8, 3);
    expect(semaphore.value).toBe(3);
    expect(semaphore.checkInvariants()).toBeNull();
  });

  it('counts permits: tryAcquire takes one until none are left', () => {
    const semaphore = Semaphore.init(newSegment(16), 0, 2);
    expect(semaphore.tryAcquire()).toBe(true);
    expect(semaphore.tryAcquire()).toBe(true);
    expect(semaphore.tryAcquire()).toBe(false);
    expect(semaphore.value).toBe(0);
    semaphore.release();
    expect(semaphore.value).toBe(1);
    expect(semaphore.acquire()).toBe(true);
    expect(semaphore.checkInvariants()).toBeNull();
  });

  it('acts as a lock when initialised with 1 (binary semaphore)', () => {
    const segment = newSegment(16);
    const first = Semaphore.init(segment, 4, 1);
    const second = new Semaphore(segment, 4); // the same permits, attached again
    expect(first.acquire()).toBe(true);
    expect(second.tryAcquire()).toBe(false);
    second.release(); // unlike a mutex, any thread may release
    expect(second.tryAcquire()).toBe(true);
  });

  it('adds n permits with release(n), and none with release(0)', () => {
    const semaphore = Semaphore.init(newSegment(16), 0, 0);
    semaphore.release(3);
    expect(semaphore.value).toBe(3);
    semaphore.release(0);
    expect(semaphore.value).toBe(3);
  });

  it('throws EINVAL for release(-1), release(1.5) and a negative initial value', () => {
    const segment = newSegment(16);
    const semaphore = Semaphore.init(segment, 0, 1);
    expectCode(() => semaphore.release(-1), 'EINVAL');
    expectCode(() => semaphore.release(1.5), 'EINVAL');
    expect(semaphore.value, 'a refused release changes nothing').toBe(1);
    expectCode(() => Semaphore.init(segment, 8, -1), 'EINVAL');
  });

  it('rejects an unaligned offset (EALIGN) and one past the end (ERANGE)', () => {
    const segment = newSegment(16);
    expectCode(() => new Semaphore(segment, 2), 'EALIGN');
    expectCode(() => new Semaphore(segment, 12), 'ERANGE'); // needs two cells
  });

  it('tries once and returns false at once for a timeout of 0', () => {
    const semaphore = Semaphore.init(newSegment(16), 0, 1);
    expect(semaphore.acquire(0)).toBe(true);
    const start = performance.now();
    expect(semaphore.acquire(0)).toBe(false);
    expect(performance.now() - start).toBeLessThan(50);
  });

  it('gives up a timed acquire in about its time, leaving the value unchanged', () => {
    const semaphore = Semaphore.init(newSegment(16), 0, 0);
    const start = performance.now();
    expect(semaphore.acquire(150)).toBe(false);
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(2000);
    expect(semaphore.value).toBe(0);
    expect(semaphore.checkInvariants()).toBeNull();
    semaphore.release();
    expect(semaphore.acquire(150)).toBe(true);
  });

  it('lets timers fire while acquireAsync waits', async () => {
    const semaphore = Semaphore.init(newSegment(16), 0, 0);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const release = setTimeout(() => semaphore.release(), 200);
    try {
      expect(await semaphore.acquireAsync(5000)).toBe(true);
    } finally {
      clearInterval(timer);
      clearTimeout(release);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect(await semaphore.acquireAsync(100)).toBe(false);
  });

  it('wakes two waiting acquireAsync calls with one release(2)', async () => {
    const semaphore = Semaphore.init(newSegment(16), 0, 0);
    const waiting = [semaphore.acquireAsync(3000), semaphore.acquireAsync(3000)];
    await new Promise((resolve) => setTimeout(resolve, 100)); // both are asleep now
    semaphore.release(2);
    expect(await Promise.all(waiting)).toEqual([true, true]);
    expect(semaphore.value).toBe(0);
  });

  it('describes a corrupted cell in one line', () => {
    const segment = newSegment(16);
    const semaphore = Semaphore.init(segment, 4, 0);
    segment.store(1, -7);
    const report = semaphore.checkInvariants();
    expect(report).toMatch(/-7/);
    expect(report).not.toMatch(/\n/);
  });
});

describe('Semaphore across worker threads', () => {
  // Cell layout shared with pool-worker.ts (keep the two in sync).
  const MOST_INSIDE = 3;
  const GO = 4;

  it('never lets more holders in than permits', async () => {
    const workerCount = 3;
    const permits = 2;
    const rounds = 3000;
    const segment = newSegment(32);
    const semaphore = Semaphore.init(segment, 0, permits);
    for (let i = 0; i < workerCount; i++) {
      scratch.worker(new URL('./pool-worker.ts', import.meta.url), { name: segment.name, rounds });
    }
    // once() rejects if the worker throws, so a crash fails the test at once.
    const nextMessages = () =>
      Promise.all(scratch.workers.map((worker) => once(worker, 'message')));
    expect((await nextMessages()).flat()).toEqual(Array(workerCount).fill('ready'));
    const done = nextMessages();
    segment.store(GO, 1);
    segment.notify(GO);
    expect((await done).flat()).toEqual(Array(workerCount).fill('done'));
    expect(
      segment.load(MOST_INSIDE),
      'the most workers that held a permit at once',
    ).toBeLessThanOrEqual(permits);
    expect(semaphore.value, 'every permit is back when every worker is done').toBe(permits);
    expect(semaphore.checkInvariants()).toBeNull();
  });
});
