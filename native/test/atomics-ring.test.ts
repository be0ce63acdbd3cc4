// AtomicsRing, the yardstick ring: exercise 09's ring on raw Atomics. It must be a
// correct ring, or the speed it sets means nothing.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AtomicsRing, startWorker } from '@ipc-course/shim';
import { scratchSegment } from '../../grader/harness/segments.ts';

describe('AtomicsRing', () => {
  it('holds exactly capacity values, oldest first, round and round', () => {
    const segment = scratchSegment(4096, 'atomics-ring');
    const ring = AtomicsRing.init(segment, 64, 3);
    expect([ring.push(1), ring.push(2), ring.push(3), ring.push(4)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    const again = new AtomicsRing(segment, 64); // a second instance on the same bytes
    expect([again.pop(), again.pop(), ring.pop(), ring.pop()]).toEqual([1, 2, 3, undefined]);
    for (let i = 0; i < 20; i++) expect([ring.push(i), ring.take()]).toEqual([true, i]);
    expect(segment.read(0, 64).every((b) => b === 0)).toBe(true); // nothing written before the ring
  });

  it('streams values from a worker thread in order, sleeping and waking in the futex', async () => {
    const segment = scratchSegment(4096, 'atomics-ring-stream');
    const ring = AtomicsRing.init(segment, 0, 4);
    const count = 20_000;
    const worker = startWorker(new URL('./fixtures/ring-producer.ts', import.meta.url), {
      name: segment.name,
      count,
    });
    let outOfPlace = 0;
    for (let i = 0; i < count; i++) if (ring.take() !== i) outOfPlace++;
    await once(worker, 'exit');
    expect(outOfPlace).toBe(0);
    expect(ring.pop()).toBeUndefined();
  });
});
