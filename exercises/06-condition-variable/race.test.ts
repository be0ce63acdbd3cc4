// The race check: npm run course -- verify 06-condition-variable runs it with
// the tests. One actor puts 3 items, one at a time, with a signal each; two
// take them, waiting on the condition while there are none (one of them with
// waitAsync). A scheduler picks who runs at every shim call. A failure prints
// the interleaving, one row per shim call. The seeds are fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { ConditionVariable } from './condvar.ts';
import { Mutex } from './mutex.ts';

const CONDITION = 8;
const MUTEX = 16;
const ITEMS = 0;

it('wakes a waiter for every item and loses no signal under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { conditionOffset: CONDITION, mutexOffset: MUTEX, items: ITEMS };
  const { runs } = await raceCheck({
    exerciseId: '06-condition-variable',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: 64,
    init: (segment) => {
      ConditionVariable.init(segment, CONDITION);
      Mutex.init(segment, MUTEX);
    },
    actors: [
      { name: 'A', kind: 'worker', scenario: 'takeItems', args: { ...args, count: 2 } },
      {
        name: 'B',
        kind: 'process',
        scenario: 'takeItems',
        args: { ...args, count: 1, async: true },
      },
      { name: 'P', kind: 'worker', scenario: 'putItems', args: { ...args, count: 3 } },
    ],
    check: (outcomes, segment) => {
      const unlocked = outcomes.reduce((n, o) => n + (o.value as number), 0);
      if (unlocked > 0) return `wait returned without the mutex (${unlocked} times)`;
      const left = segment.load(ITEMS);
      return left === 0 ? null : `${left} items left after 3 put and 3 taken`;
    },
  });
  expect(runs).toBeGreaterThan(0);
});
