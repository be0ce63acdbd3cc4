// The race check: npm run course -- verify 21-unbounded-mailbox runs it with
// the tests. Two senders send 3 messages each, in chunks of 2 messages; two
// receivers take 3 each, one with tryReceive() first, under controlled
// schedules: a scheduler picks who runs at every shim call. A failure prints
// the interleaving, one row per shim call. The seeds are fixed, so it replays.
import { expect, it } from 'vitest';
import { raceCheck } from '@ipc-course/race-check';
import { type Segment, Segment as Segments } from '@ipc-course/shim';
import { UnboundedMailbox } from './unbounded-mailbox.ts';

const OFFSET = 16;
const OPTIONS = { maxMessageBytes: 8, chunkMessages: 2, maxTotalBytes: 1 << 20 };
/** The chunks a run left behind (the last one stays while the mailbox lives). */
function removeChunks(segment: Segment): void {
  const mailbox = new UnboundedMailbox(segment, OFFSET);
  for (let generation = 0; generation < 8; generation++) {
    try {
      Segments.unlink(mailbox.chunkName(generation));
    } catch {
      // not there: drained and unlinked already, or never made
    }
  }
}

const SENT = ['10:0', '10:1', '10:2', '20:0', '20:1', '20:2'];

it('delivers every message once, whole, in the order each sender sent it, across chunks, under controlled schedules (race check)', {
  timeout: 180_000,
}, async () => {
  const args = { offset: OFFSET, tag: 0, count: 3 };
  const { runs } = await raceCheck({
    exerciseId: '21-unbounded-mailbox',
    scenarios: new URL('./race-actors.ts', import.meta.url),
    segmentBytes: OFFSET + UnboundedMailbox.byteLength(OPTIONS),
    init: (segment) => void UnboundedMailbox.init(segment, OFFSET, OPTIONS),
    actors: [
      { name: 'S1', kind: 'worker', scenario: 'sendTagged', args: { ...args, tag: 10 } },
      { name: 'S2', kind: 'process', scenario: 'sendTagged', args: { ...args, tag: 20 } },
      { name: 'R1', kind: 'worker', scenario: 'receiveTagged', args },
      { name: 'R2', kind: 'worker', scenario: 'receiveTagged', args: { ...args, tryFirst: true } },
    ],
    check: (outcomes, segment) => {
      removeChunks(segment);
      const got = [outcomes[2].value, outcomes[3].value] as string[][];
      if ([...got.flat()].sort().join(',') !== SENT.join(','))
        return `the receivers got [${got.map((g) => g.join(', ')).join('] and [')}], not ${SENT.join(', ')} once each`;
      for (const g of got) {
        const order = g.map((m) => SENT.indexOf(m));
        for (let i = 1; i < order.length; i++)
          if (Math.floor(order[i] / 3) === Math.floor(order[i - 1] / 3) && order[i] < order[i - 1])
            return `a receiver got ${g[i - 1]} before ${g[i]}, which were sent the other way round`;
      }
      return null;
    },
  });
  expect(runs).toBeGreaterThan(0);
});
