// The race check: npm run course -- verify 12-shm-pipe runs it with the tests.
// A writer sends 9 bytes through a pipe of 4, then closes; a reader reads 3 at
// a time to the end, under controlled schedules: a scheduler picks who runs at
// every shim call. A failure prints the interleaving, one row per shim call.
// The seeds are fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { ShmPipe } from './shm-pipe.ts';

const OFFSET = 16;
const CHUNKS = [
  [1, 2, 3],
  [4, 5],
  [6, 7, 8, 9],
];

it('delivers every byte in order, then end of file, under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { offset: OFFSET, chunks: CHUNKS, readSize: 3 };
  const { runs } = await raceCheck({
    exerciseId: '12-shm-pipe',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: 256,
    init: (segment) => void ShmPipe.init(segment, OFFSET, 4),
    actors: [
      { name: 'writer', kind: 'process', scenario: 'writeChunks', args },
      { name: 'reader', kind: 'worker', scenario: 'readToEnd', args },
    ],
    check: (outcomes) => {
      const got = (outcomes[1].value as number[]).join(', ');
      const sent = CHUNKS.flat().join(', ');
      return got === sent ? null : `the reader got [${got}], not [${sent}]`;
    },
  });
  expect(runs).toBeGreaterThan(0);
});
