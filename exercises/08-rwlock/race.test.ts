// The race check: npm run course -- verify 08-rwlock runs it with the tests.
// Two readers and a writer take your lock twice each, some with the try
// methods first, under controlled schedules: a scheduler picks who runs at
// every shim call. A failure prints the interleaving, one row per shim call.
// The seeds are fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { ReadersWriterLock } from './rwlock.ts';

const OFFSET = 16;
const READERS = 0;
const WRITERS = 1;

it('keeps the writer alone and loses no wakeup under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { offset: OFFSET, readers: READERS, writers: WRITERS, rounds: 2 };
  const { runs } = await raceCheck({
    exerciseId: '08-rwlock',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: 64,
    init: (segment) => void ReadersWriterLock.init(segment, OFFSET),
    actors: [
      { name: 'R1', kind: 'worker', scenario: 'readRounds', args },
      { name: 'R2', kind: 'process', scenario: 'readRounds', args: { ...args, tryFirst: true } },
      { name: 'W', kind: 'worker', scenario: 'writeRounds', args: { ...args, tryFirst: true } },
    ],
    check: (outcomes) => {
      const clashes = outcomes.reduce((n, o) => n + (o.value as number), 0);
      return clashes === 0 ? null : `the writer shared the lock with someone (${clashes} times)`;
    },
  });
  expect(runs).toBeGreaterThan(0);
});
