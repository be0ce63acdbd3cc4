// The race check: npm run course -- verify 22-request-reply runs it with the
// tests. Two clients call a server twice each through a channel of 1 slot,
// under controlled schedules: a scheduler picks who runs at every shim call.
// A failure prints the interleaving, one row per shim call. The seeds are
// fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { RpcChannel } from './request-reply.ts';

const OFFSET = 16;
const OPTIONS = { capacity: 1, maxMessageBytes: 8 };

it('gives each client the replies to its own calls under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { offset: OFFSET, client: 0, count: 2 };
  const { runs } = await raceCheck({
    exerciseId: '22-request-reply',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: OFFSET + RpcChannel.byteLength(OPTIONS),
    init: (segment) => void RpcChannel.init(segment, OFFSET, OPTIONS),
    actors: [
      { name: 'C1', kind: 'worker', scenario: 'callServer', args: { ...args, client: 1 } },
      { name: 'C2', kind: 'process', scenario: 'callServer', args: { ...args, client: 2 } },
      { name: 'S', kind: 'worker', scenario: 'serveCalls', args: { ...args, count: 4 } },
    ],
    check: (outcomes) => {
      const problems = outcomes.flatMap((o) => o.value as string[]);
      return problems.length === 0 ? null : problems.join('; ');
    },
  });
  expect(runs).toBeGreaterThan(0);
});
