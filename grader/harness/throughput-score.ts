// Points for speed, scored like the CS:APP malloc lab: a throughput as a fraction
// of a yardstick measured on the same machine in the same run (ring-throughput.ts),
// against two thresholds. Set them from the reference's own fraction with a 2x
// margin (the reference at 1/2 of the yardstick: full points from 1/4), so that
// load on the grading machine never costs the reference a point; a correct ring
// that is merely slow keeps every other test's points and loses only these.

export interface ScoreThresholds {
  /** Fraction of the yardstick from which every point is earned. */
  full: number;
  /** Fraction from which half the points are earned; below it, none. */
  half: number;
}

export interface SpeedScore {
  /** 1, 0.5 or 0: the share of the test's points. */
  share: number;
  /** Why, in one sentence. */
  reason: string;
}

export function scoreThroughput(fraction: number, thresholds: ScoreThresholds): SpeedScore {
  if (!(thresholds.half <= thresholds.full))
    throw new Error(
      `scoreThroughput: half (${thresholds.half}) must not exceed full (${thresholds.full})`,
    );
  const percent = (x: number) => `${(x * 100).toFixed(0)}%`;
  const reached = `${percent(fraction)} of the yardstick`;
  if (fraction >= thresholds.full)
    return { share: 1, reason: `${reached}: full points from ${percent(thresholds.full)}` };
  if (fraction >= thresholds.half)
    return {
      share: 0.5,
      reason: `${reached}: half points (full points from ${percent(thresholds.full)})`,
    };
  return {
    share: 0,
    reason: `${reached}: no speed points below ${percent(thresholds.half)} (full points from ${percent(thresholds.full)})`,
  };
}
