// speedFigure: the wall-clock ratio, capped by the user-CPU ratio only when that is
// known; the cap never raises the figure, so a false pid cannot flatter a ring.
import { describe, expect, it } from 'vitest';
import { MIN_TICKS, speedFigure } from '../harness/ring-speed-figure.ts';

// Three rounds: the ring at 1, 1.2 and 0.8 M/s against a steady 4 M/s yardstick.
const perSecond = { yardstick: [4e6, 4e6, 4e6], ring: [1e6, 1.2e6, 0.8e6] };
const values = { yardstick: 3e6, ring: 3e6 };

describe('speedFigure', () => {
  it('scores the kinder wall-clock ratio (median round or best rounds) when CPU is no lower', () => {
    const figure = speedFigure({ perSecond, values, ticks: { yardstick: 30, ring: 60 } });
    expect(figure.byRound).toBeCloseTo(0.25);
    expect(figure.bestRatio).toBeCloseTo(0.3);
    expect(figure.cpuFraction).toBeCloseTo(0.5);
    expect(figure.fraction).toBeCloseTo(0.3);
  });

  it('is capped by the CPU ratio on a busy machine, where the wall-clock ratio creeps up', () => {
    // Load stretched the yardstick's rounds: the ring seems at 90%, but each of its
    // values costs 6x the yardstick's CPU time.
    const busy = { yardstick: [1e6, 1e6, 1e6], ring: [0.9e6, 0.9e6, 0.9e6] };
    const figure = speedFigure({ perSecond: busy, values, ticks: { yardstick: 30, ring: 180 } });
    expect(figure.wallFraction).toBeCloseTo(0.9);
    expect(figure.cpuNsPerValue).toEqual({ yardstick: 100, ring: 600 });
    expect(figure.fraction).toBeCloseTo(1 / 6);
    expect(figure.cpuLine).toMatch(/600 ns against 100 ns, 17%, which caps the figure/);
  });

  it('leaves the wall-clock figure alone when /proc could not be read (a false pid, a process gone)', () => {
    const figure = speedFigure({ perSecond, values, ticks: { yardstick: 30, ring: Number.NaN } });
    expect(figure.cpuFraction).toBeNaN();
    expect(figure.fraction).toBeCloseTo(0.3);
    expect(figure.cpuLine).toMatch(/could not be read\), so it does not cap/);
  });

  it('leaves the wall-clock figure alone when too few ticks were counted to mean anything', () => {
    const ticks = { yardstick: MIN_TICKS - 1, ring: 100 };
    const figure = speedFigure({ perSecond, values, ticks });
    expect(figure.fraction).toBeCloseTo(0.3);
    expect(figure.cpuLine).toMatch(/too few clock ticks/);
  });

  it('never raises the figure above the wall-clock ratio, whatever CPU time a ring shows', () => {
    // A ring whose pid cells name an idle process: almost no CPU per value.
    const figure = speedFigure({ perSecond, values, ticks: { yardstick: 30, ring: MIN_TICKS } });
    expect(figure.cpuFraction).toBeGreaterThan(1);
    expect(figure.fraction).toBeCloseTo(figure.wallFraction);
  });
});
