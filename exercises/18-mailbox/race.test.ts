// The race check: npm run course -- verify 18-mailbox runs it with the tests.
// Two senders send 2 messages each into a mailbox of 1 slot; two receivers
// take 2 each, some with trySend() and tryReceive() first, under controlled
// schedules: a scheduler picks who runs at every shim call. A failure prints
// the interleaving, one row per shim call. The seeds are fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { Mailbox } from './mailbox.ts';

const OFFSET = 16;

it('delivers every message once, whole, in the order each sender sent it, under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { offset: OFFSET, tag: 0, count: 2 };
  const { runs } = await raceCheck({
    exerciseId: '18-mailbox',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: 512,
    init: (segment) => void Mailbox.init(segment, OFFSET, { capacity: 1, maxMessageBytes: 8 }),
    actors: [
      { name: 'S1', kind: 'worker', scenario: 'sendTagged', args: { ...args, tag: 10 } },
      {
        name: 'S2',
        kind: 'process',
        scenario: 'sendTagged',
        args: { ...args, tag: 20, tryFirst: true },
      },
      { name: 'R1', kind: 'worker', scenario: 'receiveTagged', args },
      { name: 'R2', kind: 'worker', scenario: 'receiveTagged', args: { ...args, tryFirst: true } },
    ],
    check: (outcomes) => {
      const got = [outcomes[2].value, outcomes[3].value] as string[][];
      const all = got.flat();
      if ([...all].sort().join(',') !== '10:0,10:1,20:0,20:1')
        return `the receivers got [${got.map((g) => g.join(', ')).join('] and [')}], not 10:0, 10:1, 20:0, 20:1 once each`;
      for (const g of got)
        for (const tag of [10, 20])
          if (g.indexOf(`${tag}:1`) >= 0 && g.indexOf(`${tag}:1`) < g.indexOf(`${tag}:0`))
            return `a receiver got ${tag}:1 before ${tag}:0, which were sent in that order`;
      return null;
    },
  });
  expect(runs).toBeGreaterThan(0);
});
