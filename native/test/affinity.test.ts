// pinThread and threadCpus: which CPUs the calling thread may run on.
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { errorCode, pinThread, startWorker, threadCpus } from '@ipc-course/shim';

const allowed = threadCpus();
afterEach(() => pinThread(allowed));

describe('pinThread', () => {
  it('starts with the CPUs this process may use, ascending', () => {
    expect(allowed.length).toBeGreaterThanOrEqual(1);
    expect(allowed.length).toBeLessThanOrEqual(availableParallelism());
    expect([...allowed].sort((a, b) => a - b)).toEqual(allowed);
  });

  it('keeps the calling thread on the CPUs it names, until it names others', () => {
    pinThread([allowed[0]]);
    expect(threadCpus()).toEqual([allowed[0]]);
    pinThread(allowed);
    expect(threadCpus()).toEqual(allowed);
  });

  it('moves only the calling thread: a worker already running keeps its CPUs', async () => {
    const worker = startWorker(new URL('./fixtures/report-cpus.ts', import.meta.url));
    try {
      const workerCpus = async () => {
        worker.postMessage('cpus?');
        return ((await once(worker, 'message')) as [number[]])[0];
      };
      expect(await workerCpus()).toEqual(allowed);
      pinThread([allowed.at(-1)!]);
      expect(await workerCpus()).toEqual(allowed);
      expect(threadCpus()).toEqual([allowed.at(-1)]);
    } finally {
      await worker.terminate();
    }
  });

  it('throws EINVAL for no CPU, a bad number, or a CPU that is not there', () => {
    expect(errorCode(() => pinThread([]))).toBe('EINVAL');
    expect(errorCode(() => pinThread([1.5]))).toBe('EINVAL');
    expect(errorCode(() => pinThread([-1]))).toBe('EINVAL');
    expect(errorCode(() => pinThread([1 << 20]))).toBe('EINVAL');
    expect(errorCode(() => pinThread([1000]))).toBe('EINVAL'); // no such CPU online
    expect(threadCpus()).toEqual(allowed);
  });
});
