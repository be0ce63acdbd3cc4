// The race check: npm run course -- verify 10-bounded-buffer runs it with the
// tests. Two producers put 2 values each into a buffer of 1 slot; two
// consumers take 2 each, some with tryPut() and tryTake() first, under
// controlled schedules: a scheduler picks who runs at every shim call. A
// failure prints the interleaving, one row per shim call. The seeds are
// fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { BoundedBuffer } from './bounded-buffer.ts';

const OFFSET = 16;

it('delivers every value once, in the order each producer put it, under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { offset: OFFSET, values: [], count: 0 };
  const { runs } = await raceCheck({
    exerciseId: '10-bounded-buffer',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: 256,
    init: (segment) => void BoundedBuffer.init(segment, OFFSET, 1),
    actors: [
      { name: 'P1', kind: 'worker', scenario: 'putValues', args: { ...args, values: [11, 12] } },
      {
        name: 'P2',
        kind: 'process',
        scenario: 'putValues',
        args: { ...args, values: [21, 22], tryFirst: true },
      },
      { name: 'C1', kind: 'worker', scenario: 'takeValues', args: { ...args, count: 2 } },
      {
        name: 'C2',
        kind: 'worker',
        scenario: 'takeValues',
        args: { ...args, count: 2, tryFirst: true },
      },
    ],
    check: (outcomes) => {
      const taken = [outcomes[2].value, outcomes[3].value] as number[][];
      const all = taken.flat();
      if ([...all].sort().join(',') !== '11,12,21,22')
        return `the consumers took [${taken.map((t) => t.join(', ')).join('] and [')}], not 11, 12, 21, 22 once each`;
      for (const [first, second] of [
        [11, 12],
        [21, 22],
      ])
        for (const t of taken)
          if (t.includes(first) && t.includes(second) && t.indexOf(first) > t.indexOf(second))
            return `a consumer took ${second} before ${first}, which were put in that order`;
      return null;
    },
  });
  expect(runs).toBeGreaterThan(0);
});
