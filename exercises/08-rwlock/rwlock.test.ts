// Visible tests for exercises/08-rwlock: run them with
//   npm test -- exercises/08-rwlock
// They check your rwlock.ts from one thread, then from worker threads at once.
// The grader's hidden tests go further (child processes, starvation, lost
// wakeups, timeouts among threads, CPU use while blocked).
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, Scratch } from '@ipc-course/shim';
import { ReadersWriterLock } from './rwlock.ts';

// Segments and workers made by one test, removed after it whatever happened.
const scratch = new Scratch('rwlock');
afterEach(() => scratch.release());
const newSegment = (byteLength: number) => scratch.segment(byteLength);
const newWorker = (data: object) =>
  scratch.worker(new URL('./rw-worker.ts', import.meta.url), data);
const expectCode = (action: () => unknown, code: string) => expect(errorCode(action)).toBe(code);

describe('ReadersWriterLock on one thread', () => {
  it('needs 16 bytes and starts free', () => {
    const segment = newSegment(32);
    expect(ReadersWriterLock.byteLength).toBe(16);
    const lock = ReadersWriterLock.init(segment, 16);
    expect(lock.checkInvariants()).toBeNull();
    expect(lock.tryWriteLock()).toBe(true);
  });

  it('lets readers share and keeps a writer out while any reader is inside', () => {
    const lock = ReadersWriterLock.init(newSegment(16), 0);
    expect(lock.tryReadLock()).toBe(true);
    expect(lock.tryReadLock()).toBe(true);
    expect(lock.tryWriteLock()).toBe(false);
    lock.readUnlock();
    expect(lock.tryWriteLock()).toBe(false);
    lock.readUnlock();
    expect(lock.tryWriteLock()).toBe(true);
    expect(lock.checkInvariants()).toBeNull();
  });

  it('keeps everyone out while a writer is inside', () => {
    const lock = ReadersWriterLock.init(newSegment(16), 0);
    expect(lock.writeLock()).toBe(true);
    expect(lock.tryReadLock()).toBe(false);
    expect(lock.tryWriteLock()).toBe(false);
    lock.writeUnlock();
    expect(lock.readLock()).toBe(true);
    lock.readUnlock();
  });

  it('shares one lock between instances attached to the same offset', () => {
    const segment = newSegment(32);
    const first = ReadersWriterLock.init(segment, 16);
    const second = new ReadersWriterLock(segment, 16);
    expect(first.tryWriteLock()).toBe(true);
    expect(second.tryReadLock()).toBe(false);
    second.writeUnlock();
    expect(second.tryReadLock()).toBe(true);
    expect(first.tryWriteLock()).toBe(false);
  });

  it('throws EPERM for an unlock without its lock', () => {
    const lock = ReadersWriterLock.init(newSegment(16), 0);
    expectCode(() => lock.readUnlock(), 'EPERM');
    expectCode(() => lock.writeUnlock(), 'EPERM');
    lock.readLock();
    expectCode(() => lock.writeUnlock(), 'EPERM');
    lock.readUnlock();
    lock.writeLock();
    expectCode(() => lock.readUnlock(), 'EPERM');
    lock.writeUnlock();
    expect(lock.checkInvariants()).toBeNull();
    expect(lock.tryWriteLock()).toBe(true);
  });

  it('rejects an unaligned offset (EALIGN) and one without room for 4 cells (ERANGE)', () => {
    const segment = newSegment(32);
    expectCode(() => new ReadersWriterLock(segment, 2), 'EALIGN');
    expectCode(() => new ReadersWriterLock(segment, 24), 'ERANGE');
  });

  it('tries once for a timeout of 0, and gives up a timed lock in about its time', () => {
    const lock = ReadersWriterLock.init(newSegment(16), 0);
    lock.writeLock();
    let start = performance.now();
    expect(lock.readLock(0)).toBe(false);
    expect(lock.writeLock(0)).toBe(false);
    expect(performance.now() - start).toBeLessThan(50);
    start = performance.now();
    expect(lock.readLock(150)).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
    lock.writeUnlock();
    lock.readLock();
    start = performance.now();
    expect(lock.writeLock(150)).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
    expect(lock.tryReadLock(), 'a writer that gave up no longer holds readers back').toBe(true);
    expect(lock.checkInvariants()).toBeNull();
  });

  it('describes a corrupted state in one line', () => {
    const segment = newSegment(32);
    const lock = ReadersWriterLock.init(segment, 16);
    segment.store(4, (1 << 30) + 3); // a writer and 3 readers at once
    const report = lock.checkInvariants();
    expect(report).toMatch(String((1 << 30) + 3));
    expect(report).not.toMatch(/\n/);
  });
});

describe('ReadersWriterLock across worker threads', () => {
  // Cell layout shared with rw-worker.ts (keep the two in sync).
  const COUNTER = 4;
  const GO = 7;

  it('never lets a writer in beside anyone else', async () => {
    const workerCount = 3;
    const rounds = 2000; // a multiple of 4: each worker writes rounds / 4 times
    const segment = newSegment(64);
    const lock = ReadersWriterLock.init(segment, 0);
    for (let me = 0; me < workerCount; me++)
      newWorker({ name: segment.name, job: 'mixed', rounds, me });
    // once() rejects if the worker throws, so a crash fails the test at once.
    const nextMessages = () =>
      Promise.all(scratch.workers.map((worker) => once(worker, 'message')));
    expect((await nextMessages()).flat()).toEqual(Array(workerCount).fill('ready'));
    const done = nextMessages();
    segment.store(GO, 1);
    segment.notify(GO);
    const overlaps = (await done).flat().map((message) => (message as { done: number }).done);
    expect(overlaps, 'sections per worker where a writer was beside someone else').toEqual(
      Array(workerCount).fill(0),
    );
    expect(segment.load(COUNTER), 'increments made under the write lock').toBe(
      (workerCount * rounds) / 4,
    );
    expect(lock.checkInvariants()).toBeNull();
    expect(lock.tryWriteLock(), 'the lock is free again when every worker is done').toBe(true);
  });

  it('turns new readers away while a writer waits, then lets the writer in', async () => {
    const segment = newSegment(64);
    const lock = ReadersWriterLock.init(segment, 0);
    expect(lock.readLock()).toBe(true);
    const writer = newWorker({ name: segment.name, job: 'writer' });
    expect(await once(writer, 'message')).toEqual(['waiting']);
    await new Promise((resolve) => setTimeout(resolve, 200)); // it is asleep in writeLock() now
    expect(lock.tryReadLock(), 'tryReadLock while a writer waits').toBe(false);
    const inside = once(writer, 'message');
    lock.readUnlock(); // the last reader leaves: the writer must wake
    expect(await inside).toEqual(['in']);
    expect(await once(writer, 'message')).toEqual(['out']);
    expect(lock.tryReadLock(), 'readers are welcome once the writer has left').toBe(true);
  });
});
