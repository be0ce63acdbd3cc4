// The race check: npm run course -- verify 07-barrier runs it with the tests.
// Three parties pass your barrier three times, under controlled schedules: a
// scheduler picks who runs at every shim call. A failure prints the
// interleaving, one row per shim call. The seeds are fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { Barrier } from './barrier.ts';

const OFFSET = 32;
const ARRIVED = 0; // cells 0..2: arrivals per round
const SERIAL = 4; // cells 4..6: serial parties per round
const ROUNDS = 3;

it('lets no party leave early and picks one serial party per round under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { offset: OFFSET, arrived: ARRIVED, serial: SERIAL, rounds: ROUNDS };
  const { runs } = await raceCheck({
    exerciseId: '07-barrier',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: 64,
    init: (segment) => void Barrier.init(segment, OFFSET, 3),
    actors: [
      { name: 'A', kind: 'worker', scenario: 'passRounds', args },
      { name: 'B', kind: 'worker', scenario: 'passRounds', args },
      { name: 'C', kind: 'process', scenario: 'passRounds', args },
    ],
    check: (outcomes, segment) => {
      for (const outcome of outcomes) {
        const seen = outcome.value as number[];
        const early = seen.findIndex((arrived) => arrived < 3);
        if (early >= 0)
          return `${outcome.name} left round ${early + 1} when ${seen[early]} of 3 had arrived`;
      }
      for (let round = 0; round < ROUNDS; round++) {
        const serial = segment.load(SERIAL + round);
        if (serial !== 1) return `round ${round + 1} had ${serial} serial parties, not 1`;
      }
      return null;
    },
  });
  expect(runs).toBeGreaterThan(0);
});
