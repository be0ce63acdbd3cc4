// measureRing: a ring against the yardstick, by turns, across processes. It must
// measure a correct ring and refuse a ring that reorders values.
import { describe, expect, it } from 'vitest';
import { measureRing, RING_MEASURE } from '../harness/ring-throughput.ts';
import { SpscRing } from '../../solutions/09-spsc-ring/spsc-ring.ts';

const small = { ...RING_MEASURE, count: 20_000, rounds: 3, timeoutMs: 60_000 };
const reference = {
  exportName: 'SpscRing',
  init: SpscRing.init,
  byteLength: SpscRing.byteLength,
};

describe('measureRing', () => {
  it('measures the reference ring against the yardstick, round by round', {
    timeout: 120_000,
  }, async () => {
    const { result, fraction, summary } = await measureRing(
      { ...reference, url: new URL('../../solutions/09-spsc-ring/spsc-ring.ts', import.meta.url) },
      small,
    );
    expect([result.learner.length, result.reference.length]).toEqual([3, 3]);
    expect(fraction).toBeCloseTo(1 / result.slowdown);
    expect(summary).toMatch(/of the yardstick ring's throughput/);
  });

  it('refuses a ring that hands values over out of order', { timeout: 120_000 }, async () => {
    await expect(
      measureRing(
        {
          ...reference,
          url: new URL('./fixtures/swapping-ring.ts', import.meta.url),
        },
        small,
      ),
    ).rejects.toThrow(/take number \d+ returned/);
  });
});
