// scoreThroughput: speed points from a fraction of the yardstick, in three steps.
import { describe, expect, it } from 'vitest';
import { scoreThroughput } from '../harness/throughput-score.ts';

const thresholds = { full: 0.25, half: 0.125 };

describe('scoreThroughput', () => {
  it('gives full points from the full threshold up, half points from the half threshold, none below', () => {
    const shares = [1.2, 0.5, 0.25, 0.2499, 0.125, 0.1, 0].map(
      (fraction) => scoreThroughput(fraction, thresholds).share,
    );
    expect(shares).toEqual([1, 1, 1, 0.5, 0.5, 0, 0]);
  });

  it('says the fraction reached and what the next step needs', () => {
    expect(scoreThroughput(0.2, thresholds).reason).toBe(
      '20% of the yardstick: half points (full points from 25%)',
    );
    expect(scoreThroughput(0.05, thresholds).reason).toMatch(/no speed points below 13%/);
  });

  it('refuses thresholds in the wrong order', () => {
    expect(() => scoreThroughput(0.5, { full: 0.1, half: 0.2 })).toThrow(/half/);
  });
});
