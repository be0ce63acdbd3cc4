// The race check: npm run course -- verify 20-ports runs it with the tests.
// A server process opens a port of 1 slot; two clients send it 3 messages in
// all, one with trySend() first, and the server receives with tryReceive()
// first, under controlled schedules: a scheduler picks who runs at every shim
// call. A failure prints the interleaving, one row per shim call. The seeds
// are fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { PortRegistry } from './ports.ts';

const OFFSET = 16;
const SERVER_PID = 0;
const OPTIONS = { maxPorts: 2, capacity: 1, maxMessageBytes: 8 };

it('delivers each message once, in the order each client sent it, under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { offset: OFFSET, serverPid: SERVER_PID, messages: 0, tag: 0 };
  const { runs } = await raceCheck({
    exerciseId: '20-ports',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: OFFSET + PortRegistry.byteLength(OPTIONS),
    init: (segment) => void PortRegistry.init(segment, OFFSET, OPTIONS),
    actors: [
      {
        name: 'server',
        kind: 'process',
        scenario: 'serve',
        args: { ...args, messages: 3, tryFirst: true },
      },
      {
        name: 'A',
        kind: 'worker',
        scenario: 'sendTo',
        args: { ...args, tag: 1, messages: 1, tryFirst: true },
      },
      { name: 'B', kind: 'process', scenario: 'sendTo', args: { ...args, tag: 2, messages: 2 } },
    ],
    check: (outcomes) => {
      const problems = [...(outcomes[1].value as string[]), ...(outcomes[2].value as string[])];
      if (problems.length) return problems.join('; ');
      const got = outcomes[0].value as string[];
      const from = (tag: number) => got.filter((m) => m.startsWith(`${tag}:`)).join(' ');
      return from(1) === '1:0' && from(2) === '2:0 2:1'
        ? null
        : `the server received [${got.join(', ')}]: expected 1:0 once, and 2:0 before 2:1`;
    },
  });
  expect(runs).toBeGreaterThan(0);
});
