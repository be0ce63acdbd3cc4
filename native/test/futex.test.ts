// Futex wait and notify: results as Atomics.wait gives them, across threads and
// processes, and a wait can always be ended from outside.
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startWorker, stopWorker, waitSettings } from '@ipc-course/shim';
import { scratchSegment } from '../../grader/harness/segments.ts';
import { fixture, runChild } from './child.ts';

describe('Segment.wait', () => {
  it('returns "not-equal" at once when the cell differs', () => {
    const segment = scratchSegment(16, 'ne');
    segment.store(0, 5);
    const start = performance.now();
    expect(segment.wait(0, 4, 10_000)).toBe('not-equal');
    expect(segment.wait(0, 2 ** 32 + 4, 10_000)).toBe('not-equal'); // expected is ToInt32'd: 4
    expect(segment.wait(0, 2 ** 32 + 5, 0)).toBe('timed-out'); // ToInt32(2^32 + 5) = 5: equal
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('returns "timed-out" after about its timeout, and at once for 0', () => {
    const segment = scratchSegment(16, 'to');
    expect(segment.wait(0, 0, 0)).toBe('timed-out');
    const start = performance.now();
    expect(segment.wait(0, 0, 120)).toBe('timed-out');
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(119);
    expect(elapsed).toBeLessThan(2000);
  });

  it('runs with exact futex semantics under test (no slices)', () => {
    expect(waitSettings().sliceMs).toBe(0);
  });

  it('wakes a child process blocked in wait when the parent notifies', async () => {
    const segment = scratchSegment(16, 'xproc-wake');
    const { done } = runChild('child-waiter.ts', [segment.name]);
    while (segment.load(2) === 0) await segment.waitAsync(2, 0, 5000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // let it reach the futex
    segment.store(0, 7);
    let woken = 0;
    const deadline = performance.now() + 5000;
    while (woken === 0 && performance.now() < deadline) {
      woken = segment.notify(0);
      if (woken === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(woken).toBe(1);
    const { code, stdout } = await done;
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('ok 7');
  });

  it('resumes after a signal with the remaining time: neither early nor late', async () => {
    const segment = scratchSegment(16, 'signals');
    const { child, done } = runChild('child-signalled-waiter.ts', [segment.name]);
    while (segment.load(2) === 0) await segment.waitAsync(2, 0, 5000);
    const pestering = setInterval(() => {
      if (segment.load(3) === 0) child.kill('SIGUSR2'); // until the child's wait is over
    }, 50);
    const { code, stdout } = await done;
    clearInterval(pestering);
    expect(code).toBe(0);
    const [result, elapsed, signalled] = stdout.trim().split(' ');
    expect(result).toBe('timed-out');
    expect(signalled, 'the child saw the signals').toBe('true');
    expect(Number(elapsed)).toBeGreaterThanOrEqual(595);
    // A wait that restarted its full timeout on every signal (every 50 ms) would never end.
    expect(Number(elapsed)).toBeLessThan(5000);
  });

  it('notify returns 0 when nobody waits, and wakes at most count waiters', async () => {
    const segment = scratchSegment(16, 'count');
    expect(segment.notify(0)).toBe(0);
    const waits = [
      segment.waitAsync(1, 0, 5000),
      segment.waitAsync(1, 0, 5000),
      segment.waitAsync(1, 0, 5000),
    ];
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(segment.notify(1, 2)).toBe(2);
    expect(segment.notify(1, 0)).toBe(0);
    expect(segment.notify(1)).toBe(1);
    expect(await Promise.all(waits)).toEqual(['ok', 'ok', 'ok']);
  });
});

describe('Segment.waitAsync', () => {
  it('lets timers run while it waits, and resolves "ok" on notify', async () => {
    const segment = scratchSegment(16, 'async');
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 10);
    const waiting = segment.waitAsync(0, 0, 5000);
    await new Promise((resolve) => setTimeout(resolve, 150));
    segment.store(0, 1);
    segment.notify(0);
    expect(await waiting).toBe('ok');
    clearInterval(timer);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
  });

  it('resolves "not-equal" and "timed-out" like wait', async () => {
    const segment = scratchSegment(16, 'async-results');
    segment.store(0, 3);
    expect(await segment.waitAsync(0, 2)).toBe('not-equal');
    expect(await segment.waitAsync(0, 3, 0)).toBe('timed-out');
    const start = performance.now();
    expect(await segment.waitAsync(0, 3, 80)).toBe('timed-out');
    expect(performance.now() - start).toBeGreaterThanOrEqual(79);
  });

  it('keeps the event loop free for short waits while a long one is pending', async () => {
    // 40 short waits: more than there are futex bits (31), so one of them
    // shares its bit with the long wait. Ending it must not touch the long one.
    const segment = scratchSegment(16, 'async-many');
    const long = segment.waitAsync(0, 0, 3000);
    let slowest = 0;
    for (let round = 0; round < 40; round++) {
      const start = performance.now();
      const short = segment.waitAsync(1, round, 5000);
      setTimeout(() => {
        segment.store(1, round + 1);
        segment.notify(1);
      }, 1);
      // 'not-equal' when the store lands before the waiter's thread reaches the futex.
      expect(['ok', 'not-equal']).toContain(await short);
      slowest = Math.max(slowest, performance.now() - start);
    }
    expect(slowest, 'the slowest short wait (ms)').toBeLessThan(500);
    segment.store(0, 1);
    segment.notify(0);
    expect(await long, 'the long wait, notified after the short ones').toBe('ok');
  });
});

describe('ending a wait from outside', () => {
  it('stops a worker blocked forever in wait promptly, with EABORTED inside it', async () => {
    const segment = scratchSegment(16, 'abort');
    const worker = startWorker(fixture('worker-stuck.ts'), { name: segment.name });
    const message = once(worker, 'message');
    while (segment.load(2) === 0) await segment.waitAsync(2, 0, 5000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // it is asleep in the futex now
    const start = performance.now();
    const { abortThread } = await import('@ipc-course/shim');
    expect(abortThread(worker.threadId)).toBe(true);
    expect((await message)[0]).toBe('EABORTED');
    await stopWorker(worker);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('stopWorker ends a worker that sleeps in wait without any message from it', async () => {
    const segment = scratchSegment(16, 'stop');
    const worker = startWorker(fixture('worker-stuck.ts'), { name: segment.name });
    while (segment.load(2) === 0) await segment.waitAsync(2, 0, 5000);
    const start = performance.now();
    await stopWorker(worker);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('stopWorker absorbs the error its abort can raise in the worker (it would end this process)', async () => {
    const segment = scratchSegment(16, 'stop-error');
    const worker = startWorker(fixture('worker-stuck.ts'), { name: segment.name });
    while (segment.load(2) === 0) await segment.waitAsync(2, 0, 5000);
    const stopping = stopWorker(worker);
    // The worker's uncaught EABORTED, when it wins the race with terminate(), arrives
    // like this, while stopWorker waits for terminate():
    const aborted = Object.assign(new Error('wait: aborted'), { code: 'EABORTED' });
    expect(() => worker.emit('error', aborted)).not.toThrow();
    await stopping;
  });
});

describe('waitingThreads', () => {
  it('lists a worker asleep in wait with its segment, cell, expected value and the cell now', async () => {
    const { waitingThreads } = await import('@ipc-course/shim');
    const segment = scratchSegment(16, 'listing');
    const worker = startWorker(fixture('worker-stuck.ts'), { name: segment.name });
    while (segment.load(2) === 0) await segment.waitAsync(2, 0, 5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const waits = waitingThreads().filter((w) => w.threadId === worker.threadId);
    expect(waits).toEqual([
      { threadId: worker.threadId, segment: segment.name, byteOffset: 0, expected: 0, value: 0 },
    ]);
    await stopWorker(worker);
    expect(waitingThreads().filter((w) => w.threadId === worker.threadId)).toEqual([]);
  });
});
