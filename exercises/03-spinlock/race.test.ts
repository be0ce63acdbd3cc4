// The race check: npm run course -- verify 03-spinlock runs it with the tests.
// Two actors take your lock three times each, one with lock(), one with
// tryLock() first, under controlled schedules: a scheduler picks who runs at
// every shim call. A failure prints the interleaving, one row per shim call.
// The seeds are fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { SpinLock } from './spinlock.ts';

const OFFSET = 8;
const COUNTER = 0;
const INSIDE = 1;

it('never lets two holders in under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { offset: OFFSET, counter: COUNTER, inside: INSIDE, rounds: 3 };
  const { runs } = await raceCheck({
    exerciseId: '03-spinlock',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: 64,
    init: (segment) => void SpinLock.init(segment, OFFSET),
    actors: [
      { name: 'A', kind: 'worker', scenario: 'lockRounds', args },
      { name: 'B', kind: 'process', scenario: 'lockRounds', args: { ...args, tryFirst: true } },
    ],
    check: (outcomes, segment) => {
      const overlaps = outcomes.reduce((n, o) => n + (o.value as number), 0);
      if (overlaps > 0) return `two holders were inside at once (${overlaps} times)`;
      const count = segment.load(COUNTER);
      return count === 6 ? null : `the counter is ${count} after 6 increments under the lock`;
    },
  });
  expect(runs).toBeGreaterThan(0);
});
