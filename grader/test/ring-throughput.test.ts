// measureRing: a ring against the yardstick, by turns, across processes. It must
// measure a correct ring and refuse a ring that alters values (checked against the
// producer's key, not on the consumer's word).
import { describe, expect, it } from 'vitest';
import { measureRing, RING_MEASURE } from '../harness/ring-throughput.ts';
import { SpscRing } from '../../solutions/09-spsc-ring/spsc-ring.ts';

const small = { ...RING_MEASURE, count: 20_000, rounds: 3, timeoutMs: 60_000 };
const reference = {
  exportName: 'SpscRing',
  trusted: true, // the grader's own code: the untrusted realm may not read solutions/
  init: SpscRing.init,
  byteLength: SpscRing.byteLength,
};

describe('measureRing', () => {
  it('measures the reference ring against the yardstick, round by round', {
    timeout: 120_000,
  }, async () => {
    const { yardstick, ring, fraction, cpuNsPerValue, summary } = await measureRing(
      {
        ...reference,
        url: new URL('../../solutions/09-spsc-ring/spsc-ring.ts', import.meta.url).href,
      },
      small,
    );
    expect([ring.length, yardstick.length]).toEqual([3, 3]);
    expect(fraction).toBeGreaterThan(0);
    // read from /proc/<pid>/stat of the four processes, which stay until the measurement ends
    expect(Object.values(cpuNsPerValue).every(Number.isFinite), summary).toBe(true);
    expect(summary).toMatch(/of the yardstick ring's throughput/);
  });

  it('refuses a ring that hands over values other than those put', {
    timeout: 120_000,
  }, async () => {
    await expect(
      measureRing(
        {
          ...reference,
          url: new URL('./fixtures/swapping-ring.ts', import.meta.url).href,
        },
        small,
      ),
    ).rejects.toThrow(/not the values put, in order/);
  });
});
