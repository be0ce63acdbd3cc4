// The race check: npm run course -- verify 04-mutex runs it with the tests.
// Three actors take your mutex twice each, under controlled schedules: a
// scheduler picks who runs at every shim call. A failure prints the
// interleaving, one row per shim call. The seeds are fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { Mutex } from './mutex.ts';

const OFFSET = 8;
const COUNTER = 0;
const INSIDE = 1;

it('keeps exclusion and loses no wakeup under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { offset: OFFSET, counter: COUNTER, inside: INSIDE, rounds: 2 };
  const { runs } = await raceCheck({
    exerciseId: '04-mutex',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: 64,
    init: (segment) => void Mutex.init(segment, OFFSET),
    actors: [
      { name: 'A', kind: 'worker', scenario: 'lockRounds', args },
      { name: 'B', kind: 'worker', scenario: 'lockRounds', args: { ...args, tryFirst: true } },
      { name: 'C', kind: 'process', scenario: 'lockRounds', args },
    ],
    check: (outcomes, segment) => {
      const overlaps = outcomes.reduce((n, o) => n + (o.value as number), 0);
      if (overlaps > 0) return `two holders were inside at once (${overlaps} times)`;
      const count = segment.load(COUNTER);
      return count === 6 ? null : `the counter is ${count} after 6 increments under the mutex`;
    },
  });
  expect(runs).toBeGreaterThan(0);
});
