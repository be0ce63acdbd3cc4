// The race check: npm run course -- verify 09-spsc-ring runs it with the tests.
// A producer fills a ring of 2 slots, then puts 3 more values while a consumer
// takes all 5, under controlled schedules: a scheduler picks who runs at every shim call.
// A failure prints the interleaving, one row per shim call. The seeds are
// fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { SpscRing } from './spsc-ring.ts';

const OFFSET = 16;
const GO = 0;
const VALUES = [11, 22, 33, 44, 55];

it('hands every value over once, in order, and loses no wakeup under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { offset: OFFSET, go: GO, values: VALUES };
  const { runs } = await raceCheck({
    exerciseId: '09-spsc-ring',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: 256,
    init: (segment) => void SpscRing.init(segment, OFFSET, 2),
    actors: [
      { name: 'producer', kind: 'process', scenario: 'produce', args },
      { name: 'consumer', kind: 'worker', scenario: 'consume', args },
    ],
    check: (outcomes) => {
      const taken = outcomes[1].value as number[];
      return taken.join(',') === VALUES.join(',')
        ? null
        : `the consumer took [${taken.join(', ')}], not [${VALUES.join(', ')}]`;
    },
  });
  expect(runs).toBeGreaterThan(0);
});
