// The figure a ring's speed is scored on, from what measureRing (ring-throughput.ts)
// measured: the wall-clock ratio, capped by the CPU ratio when that is known.
//
// Wall clock: the kinder of the median round-by-round ratio and the best rounds'
// ratio, since load only ever slows a round down. But load stretches every round by
// waits for a core, which a slow ring spreads over more values, so on a busy machine
// a slow ring's wall-clock ratio creeps up towards 1. Its user-mode CPU time per
// value does not, so that ratio caps the figure. Kernel time is left out: under load
// a ring's notify more often finds its partner not yet running, and those futex
// calls doubled the yardstick's CPU per value on a busy machine.
//
// The cap only ever lowers the figure. A submission can make its processes report
// a false pid, but then its CPU figure is unknown or wrong, and a wrong one that
// flatters it leaves the wall-clock figure in charge.

/** /proc counts CPU time in clock ticks of USER_HZ, 100 on Linux whatever the kernel's HZ. */
export const TICK_NS = 1e7;
/** Below this many ticks a side's CPU time is too coarse to cap anything (one tick in 20). */
export const MIN_TICKS = 20;

type PerRing<T> = { yardstick: T; ring: T };

export interface SpeedSample {
  /** Values per second of each measured round, the rings' rounds in the same order. */
  perSecond: PerRing<number[]>;
  /** User-mode clock ticks of each ring's two processes over the measured rounds (NaN: unknown). */
  ticks: PerRing<number>;
  /** Values each ring's consumer took over the measured rounds. */
  values: PerRing<number>;
}

export interface SpeedFigure {
  /** The median of the round-by-round ratios (ring over yardstick). */
  byRound: number;
  /** The best ring round's rate over the best yardstick round's. */
  bestRatio: number;
  /** The kinder of byRound and bestRatio. */
  wallFraction: number;
  /** User CPU nanoseconds per value, NaN if unknown. */
  cpuNsPerValue: PerRing<number>;
  /** The yardstick's CPU per value over the ring's; NaN if unknown. */
  cpuFraction: number;
  /** What is scored: wallFraction, capped by cpuFraction when it is known. */
  fraction: number;
  /** Why the CPU figure caps the score or does not, for the summary. */
  cpuLine: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function speedFigure({ perSecond, ticks, values }: SpeedSample): SpeedFigure {
  const byRound = median(perSecond.ring.map((r, i) => r / perSecond.yardstick[i]));
  const bestRatio = Math.max(...perSecond.ring) / Math.max(...perSecond.yardstick);
  const wallFraction = Math.max(byRound, bestRatio);
  const cpuNsPerValue = {
    yardstick: (ticks.yardstick * TICK_NS) / values.yardstick,
    ring: (ticks.ring * TICK_NS) / values.ring,
  };
  const readable = Number.isFinite(ticks.yardstick) && Number.isFinite(ticks.ring);
  const enough = readable && ticks.yardstick >= MIN_TICKS && ticks.ring >= MIN_TICKS;
  const cpuFraction = enough ? cpuNsPerValue.yardstick / cpuNsPerValue.ring : Number.NaN;
  const fraction = enough ? Math.min(wallFraction, cpuFraction) : wallFraction;
  const ns = (perValue: number) => `${perValue.toFixed(0)} ns`;
  const cpuLine = enough
    ? `user CPU time per value ${ns(cpuNsPerValue.ring)} against ${ns(cpuNsPerValue.yardstick)}, ${percent(cpuFraction)}, which caps the figure`
    : `user CPU time per value unknown (${readable ? 'too few clock ticks' : "a process's /proc entry could not be read"}), so it does not cap the figure`;
  return { byRound, bestRatio, wallFraction, cpuNsPerValue, cpuFraction, fraction, cpuLine };
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(0)}%`;
}
