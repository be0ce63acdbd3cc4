// Visible tests for exercises/03-spinlock: run them with
//   npm test -- exercises/03-spinlock
// They check your spinlock.ts from one thread, then from worker threads at once.
// The grader's hidden tests go further (child processes, perturbed schedules,
// a lock released by another thread, tryLock while another thread holds it).
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, Scratch } from '@ipc-course/shim';
import { SpinLock } from './spinlock.ts';

// Segments and workers made by one test, removed after it whatever happened.
const scratch = new Scratch('spinlock');
afterEach(() => scratch.release());
const newSegment = (byteLength: number) => scratch.segment(byteLength);
const expectCode = (action: () => unknown, code: string) => expect(errorCode(action)).toBe(code);

describe('SpinLock on one thread', () => {
  it('needs 4 bytes and starts unlocked', () => {
    const segment = newSegment(16);
    expect(SpinLock.byteLength).toBe(4);
    const spinLock = SpinLock.init(segment, 8);
    expect(spinLock.checkInvariants()).toBeNull();
    expect(spinLock.tryLock()).toBe(true);
  });

  it('lets tryLock take a free lock once, and never a held one', () => {
    const spinLock = SpinLock.init(newSegment(16), 0);
    expect(spinLock.tryLock()).toBe(true);
    expect(spinLock.tryLock()).toBe(false);
    spinLock.unlock();
    expect(spinLock.tryLock()).toBe(true);
    expect(spinLock.checkInvariants()).toBeNull();
  });

  it('takes a free lock with lock(), and then tryLock fails', () => {
    const spinLock = SpinLock.init(newSegment(16), 0);
    spinLock.lock();
    expect(spinLock.tryLock()).toBe(false);
    spinLock.unlock();
    expect(spinLock.tryLock()).toBe(true);
  });

  it('shares one lock between instances attached to the same offset', () => {
    const segment = newSegment(16);
    const first = SpinLock.init(segment, 4);
    const second = new SpinLock(segment, 4);
    expect(first.tryLock()).toBe(true);
    expect(second.tryLock()).toBe(false);
    first.unlock();
    expect(second.tryLock(), 'free again once the first instance unlocked').toBe(true);
    expect(first.tryLock()).toBe(false);
  });

  it('throws EPERM when unlocking a spinlock that is not locked', () => {
    const spinLock = SpinLock.init(newSegment(16), 0);
    expectCode(() => spinLock.unlock(), 'EPERM');
    spinLock.lock();
    spinLock.unlock();
    expectCode(() => spinLock.unlock(), 'EPERM');
    expect(spinLock.checkInvariants()).toBeNull();
    expect(spinLock.tryLock()).toBe(true);
  });

  it('rejects an unaligned offset (EALIGN) and one past the end (ERANGE)', () => {
    const segment = newSegment(16);
    expectCode(() => new SpinLock(segment, 2), 'EALIGN');
    expectCode(() => new SpinLock(segment, 16), 'ERANGE');
  });

  it('describes a corrupted cell in one line', () => {
    const segment = newSegment(16);
    const spinLock = SpinLock.init(segment, 4);
    segment.store(1, 7);
    const report = spinLock.checkInvariants();
    expect(report).toMatch(/7/);
    expect(report).not.toMatch(/\n/);
  });
});

describe('SpinLock across worker threads', () => {
  // Cell layout shared with counter-worker.ts (keep the two in sync).
  const COUNTER = 1;
  const OVERLAPS = 3;
  const GO = 4;

  it('never lets two holders in at once', async () => {
    const workerCount = 3;
    const rounds = 3000;
    const segment = newSegment(32);
    const spinLock = SpinLock.init(segment, 0);
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
    expect(spinLock.checkInvariants()).toBeNull();
    expect(spinLock.tryLock(), 'the lock is free again when every worker is done').toBe(true);
  });
});
