// One segment, many processes and threads: atomics lose nothing across them.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startWorker } from '@ipc-course/shim';
import { scratchSegment } from '../../grader/harness/segments.ts';
import { fixture, runChild } from './child.ts';

// Cells: 0 the counter, 1 GO (the start barrier), 2 how many are ready.
async function startTogether(
  segment: {
    load(i: number): number;
    store(i: number, v: number): number;
    notify(i: number): number;
  },
  parties: number,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (segment.load(2) < parties) {
    if (Date.now() > deadline)
      throw new Error(`only ${segment.load(2)} of ${parties} parties got ready`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  segment.store(1, 1);
  segment.notify(1);
}

describe('a segment shared across processes', () => {
  it('two child processes each adding 1,000,000 give exactly 2,000,000', async () => {
    const segment = scratchSegment(16, 'two-adders');
    const children = [
      runChild('child-adder.ts', [segment.name, '1000000']),
      runChild('child-adder.ts', [segment.name, '1000000']),
    ];
    await startTogether(segment, 2);
    const results = await Promise.all(children.map((c) => c.done));
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    expect(segment.load(0)).toBe(2_000_000);
  });

  it('a worker thread and a child process share one segment', async () => {
    const segment = scratchSegment(16, 'worker-and-child');
    const worker = startWorker(fixture('worker-adder.ts'), { name: segment.name, times: 200_000 });
    const child = runChild('child-adder.ts', [segment.name, '300000']);
    const workerDone = once(worker, 'message');
    await startTogether(segment, 2);
    await workerDone;
    expect((await child.done).code).toBe(0);
    await worker.terminate();
    expect(segment.load(0)).toBe(500_000);
  });
});
