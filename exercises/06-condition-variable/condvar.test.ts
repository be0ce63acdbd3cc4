// Visible tests for exercises/06-condition-variable: run them with
//   npm test -- exercises/06-condition-variable
// They check your condvar.ts from one thread, then from two worker threads.
// The grader's hidden tests go further (child processes, lost wakeups,
// broadcast, a producer/consumer queue, CPU use).
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, Scratch, Segment } from '@ipc-course/shim';
import { ConditionVariable } from './condvar.ts';
import { Mutex } from './mutex.ts';

// Segments and workers made by one test, removed after it whatever happened.
const scratch = new Scratch('condvar');
afterEach(() => scratch.release());
const newSegment = (byteLength: number) => scratch.segment(byteLength);
const expectCode = (action: () => unknown, code: string) => expect(errorCode(action)).toBe(code);

/** A mutex at byte 0 and a condition variable at byte 8 of a fresh segment. */
function setUp(): { segment: Segment; mutex: Mutex; condition: ConditionVariable } {
  const segment = newSegment(32);
  return { segment, mutex: Mutex.init(segment, 0), condition: ConditionVariable.init(segment, 8) };
}

/** The caller holds `mutex` (it is not free), and it unlocks without EPERM. */
function expectHeldThenUnlock(mutex: Mutex): void {
  expect(mutex.tryLock(), 'the mutex is held again when wait returns').toBe(false);
  mutex.unlock();
}

describe('ConditionVariable on one thread', () => {
  it('needs 8 bytes and starts with nobody waiting', () => {
    const segment = newSegment(32);
    expect(ConditionVariable.byteLength).toBe(8);
    const condition = ConditionVariable.init(segment, 16);
    expect(condition.checkInvariants()).toBeNull();
  });

  it('does nothing on signal or broadcast with nobody waiting, and remembers neither', () => {
    const { mutex, condition } = setUp();
    condition.signal();
    condition.broadcast();
    expect(condition.checkInvariants()).toBeNull();
    mutex.lock();
    // Unlike a semaphore's permit, a signal nobody waited for is gone.
    expect(condition.wait(mutex, 50), 'a later wait still sleeps until its timeout').toBe(false);
    expectHeldThenUnlock(mutex);
  });

  it('returns false from a timed wait in about its time, holding the mutex again', () => {
    const { mutex, condition } = setUp();
    mutex.lock();
    const start = performance.now();
    expect(condition.wait(mutex, 150)).toBe(false);
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(2000);
    expectHeldThenUnlock(mutex);
    mutex.lock();
    expect(condition.wait(mutex, 0), 'a timeout of 0 releases, re-takes and returns false').toBe(
      false,
    );
    expectHeldThenUnlock(mutex);
    expect(condition.checkInvariants()).toBeNull();
  });

  it('throws EPERM when waiting without holding the mutex', () => {
    const { mutex, condition } = setUp();
    expectCode(() => condition.wait(mutex, 10), 'EPERM');
    expect(condition.checkInvariants()).toBeNull();
    expect(mutex.tryLock(), 'the failed wait did not take the mutex').toBe(true);
    expect(condition.wait(mutex, 10)).toBe(false);
    expectHeldThenUnlock(mutex);
  });

  it('rejects an unaligned offset (EALIGN) and one past the end (ERANGE)', () => {
    const segment = newSegment(16);
    expectCode(() => new ConditionVariable(segment, 2), 'EALIGN');
    expectCode(() => new ConditionVariable(segment, 12), 'ERANGE');
  });

  it('lets timers fire while waitAsync waits, and wakes it on signal', async () => {
    const { mutex, condition } = setUp();
    let ready = false;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const signaller = setTimeout(() => {
      mutex.lock(); // free: waitAsync released it
      ready = true;
      condition.signal();
      mutex.unlock();
    }, 200);
    mutex.lock();
    try {
      while (!ready)
        expect(await condition.waitAsync(mutex, 5000), 'woken, not timed out').toBe(true);
    } finally {
      clearInterval(timer);
      clearTimeout(signaller);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect(await condition.waitAsync(mutex, 100), 'nobody signals: it times out').toBe(false);
    expectHeldThenUnlock(mutex);
  });

  it('describes a corrupted cell in one line', () => {
    const segment = newSegment(32);
    const condition = ConditionVariable.init(segment, 8);
    segment.store(3, -3); // WAITERS, the second cell
    const report = condition.checkInvariants();
    expect(report).toMatch(/-3/);
    expect(report).not.toMatch(/\n/);
  });
});

describe('ConditionVariable across worker threads', () => {
  // Cell layout shared with turn-worker.ts (keep the two in sync).
  const OVERLAPS = 5;
  const GO = 6;
  const HANDOFFS = 7;

  it('passes a turn back and forth between two workers, 2000 times', async () => {
    const rounds = 2000;
    const segment = newSegment(32);
    const mutex = Mutex.init(segment, 0);
    const condition = ConditionVariable.init(segment, 4);
    for (const me of [0, 1]) {
      scratch.worker(new URL('./turn-worker.ts', import.meta.url), {
        name: segment.name,
        rounds,
        me,
      });
    }
    // once() rejects if the worker throws, so a crash fails the test at once.
    const nextMessages = () =>
      Promise.all(scratch.workers.map((worker) => once(worker, 'message')));
    expect((await nextMessages()).flat()).toEqual(['ready', 'ready']);
    const done = nextMessages();
    segment.store(GO, 1);
    segment.notify(GO);
    expect((await done).flat()).toEqual(['done', 'done']);
    expect(segment.load(OVERLAPS), 'times wait returned while another worker was inside').toBe(0);
    expect(segment.load(HANDOFFS), 'turns handed over').toBe(2 * rounds);
    expect(condition.checkInvariants()).toBeNull();
    expect(mutex.tryLock(), 'the mutex is free again when both workers are done').toBe(true);
  });
});
