// The race check: npm run course -- verify 05-semaphore runs it with the tests.
// The semaphore starts with no permits. One actor gives 3, one at a time; two
// take them, under controlled schedules: a scheduler picks who runs at every
// shim call. A failure prints the interleaving, one row per shim call.
// The seeds are fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { Semaphore } from './semaphore.ts';

const OFFSET = 8;

it('hands every permit to a taker and loses no wakeup under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { offset: OFFSET };
  const { runs } = await raceCheck({
    exerciseId: '05-semaphore',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: 64,
    init: (segment) => void Semaphore.init(segment, OFFSET, 0),
    actors: [
      { name: 'A', kind: 'worker', scenario: 'takePermits', args: { ...args, count: 2 } },
      {
        name: 'B',
        kind: 'process',
        scenario: 'takePermits',
        args: { ...args, count: 1, tryFirst: true },
      },
      { name: 'R', kind: 'worker', scenario: 'givePermits', args: { ...args, count: 3 } },
    ],
    check: (outcomes, segment) => {
      const takers = outcomes
        .slice(0, 2)
        .map((o) => o.value as { taken: number; belowZero: number });
      if (takers.some((t) => t.belowZero > 0))
        return 'value went below 0: two takers got one permit';
      const taken = takers[0].taken + takers[1].taken;
      if (taken !== 3) return `the takers got ${taken} permits; acquire() returned false`;
      const left = new Semaphore(segment, OFFSET).value;
      return left === 0 ? null : `value is ${left} after 3 releases and 3 acquires`;
    },
  });
  expect(runs).toBeGreaterThan(0);
});
