// Hidden suite: request/reply and credits over mailboxes (exercise 22-request-reply).
// Names read as the contract; points per test are in points.json. The Mailbox is
// the given one (grading lays the course's exercises/22-request-reply/mailbox.ts
// over the submission's copy): only request-reply.ts is judged.
import { describe, expect, test } from 'vitest';
import type * as RequestReplyModule from '@submission/22-request-reply/request-reply.ts';
import { Segment } from '@ipc-course/shim';
import {
  describeFailures,
  runActors,
  watchActors,
  type ActorOutcome,
} from '../../harness/actors.ts';
import { cpuWhileBlocked, expectLittleCpu } from '../../harness/blocked-cpu.ts';
import { seeded } from '../../harness/seed.ts';
import { scratchSegment } from '../../harness/segments.ts';
import { remoteModule } from '../../harness/realm/remote.ts';
import { submissionModule } from '../../harness/submission.ts';
import { actorsOf, until, thrownCode } from '../../harness/suite-kit.ts';
import { underControl, type ActorResult } from '../../harness/schedule/under-control.ts';
import { answerTo, requestFor, type Shared } from './scenarios.ts';

const ID = '22-request-reply';
// The submission runs in an untrusted object host; this process gets data back.
const { CreditChannel, RpcChannel } = remoteModule<typeof RequestReplyModule>(
  ID,
  'request-reply.ts',
);
const implementation = submissionModule(ID, 'request-reply.ts');
const actor = actorsOf(new URL('./scenarios.ts', import.meta.url));
const valueFrom = <T>(outcome: ActorOutcome) => outcome.value as T;
// Layout: the suite's cells from cell 8, the first channel at byte 64 (not 0, to catch offset mistakes), another at 8192.
const FLAG = 8,
  SENT = 9,
  TAKING = 10,
  OFFSET = 64,
  SECOND = 8192,
  MAX = 32,
  GO = 11;

function setUp(label: string): { segment: Segment; shared: Shared } {
  const segment = scratchSegment(16_384, label);
  return { segment, shared: { implementation, segment: segment.name, offset: OFFSET } };
}

describe('Request/reply and credits (hidden)', () => {
  test(
    'follows the contract on one thread: byteLength, init, attach, call timeouts, EMSGSIZE and EINVAL, produce and consume in order',
    { timeout: 10_000 },
    seeded(ID, () => {
      const { segment } = setUp('contract');
      const options = { capacity: 2, maxMessageBytes: MAX };
      const bytes = RpcChannel.byteLength(options);
      expect(
        Number.isInteger(bytes) && bytes % 4 === 0 && bytes >= 2 * 2 * MAX && bytes < 8000,
        `RpcChannel.byteLength(${JSON.stringify(options)}) = ${bytes}`,
      ).toBe(true);
      const channel = RpcChannel.init(segment, OFFSET, options);
      expect([channel.capacity, channel.maxMessageBytes], 'capacity and maxMessageBytes').toEqual([
        2,
        MAX,
      ]);
      const attached = new RpcChannel(segment, OFFSET);
      expect(
        [attached.capacity, attached.maxMessageBytes],
        'a second instance on the same bytes',
      ).toEqual([2, MAX]);
      const start = performance.now();
      expect(attached.call(requestFor(1, 1), 100), 'call(…, 100) with no server').toBeUndefined();
      expect(performance.now() - start, 'call(…, 100) returned after (ms)').toBeGreaterThan(80);
      expect(
        [
          thrownCode(() => channel.call(new Uint8Array(MAX + 1), 0)),
          thrownCode(() => channel.call('hi' as unknown as Uint8Array)),
          thrownCode(() => channel.call(requestFor(1, 2), -1)),
        ],
        'call with too long a request, a string, timeout -1',
      ).toEqual(['EMSGSIZE', 'EINVAL', 'EINVAL']);
      expect(
        [
          thrownCode(() => RpcChannel.byteLength({ capacity: 0.5, maxMessageBytes: MAX })),
          thrownCode(() => RpcChannel.byteLength({ capacity: 2, maxMessageBytes: 0 })),
        ],
        'bad options',
      ).toEqual(['EINVAL', 'EINVAL']);
      expect(
        segment.read(0, OFFSET).every((b) => b === 0),
        'the channel writes nothing before its byteOffset',
      ).toBe(true);
      const creditOptions = { credits: 3, maxMessageBytes: 8 };
      const credits = CreditChannel.init(segment, SECOND, creditOptions);
      expect(
        thrownCode(() => CreditChannel.byteLength({ credits: 0, maxMessageBytes: 8 })),
        'credits 0',
      ).toBe('EINVAL');
      expect(
        thrownCode(() => credits.produce(new Uint8Array(9))),
        'produce of 9 bytes into maxMessageBytes 8',
      ).toBe('EMSGSIZE');
      const other = new CreditChannel(segment, SECOND);
      for (let round = 0; round < 20; round++) {
        const n = 1 + (round % 3);
        for (let k = 0; k < n; k++) credits.produce(Uint8Array.of(round, k));
        const got = Array.from({ length: n }, () => [...other.consume()].join(','));
        expect(
          got,
          `round ${round}: ${n} produced (within ${creditOptions.credits} credits), then consumed`,
        ).toEqual(Array.from({ length: n }, (_, k) => `${round},${k}`));
      }
    }),
  );

  test(
    'each of 3 concurrent clients gets exactly the replies to its own requests (workers and a process)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const { shared, segment } = setUp('clients');
      RpcChannel.init(segment, OFFSET, { capacity: 1 + (seed % 3), maxMessageBytes: MAX });
      const count = 60 + (seed % 40);
      const outcomes = await runActors(
        [
          actor('client-0', 'worker', 'caller', { ...shared, client: 0, count }),
          actor('client-1', 'process', 'caller', { ...shared, client: 1, count }),
          actor('client-2', 'worker', 'caller', { ...shared, client: 2, count }),
          actor('server', 'worker', 'answerer', { ...shared, count: 3 * count }),
        ],
        { timeoutMs: 30_000, perturb: { probability: 0.05, seed } },
      );
      expect(
        describeFailures(outcomes),
        'every client and the server finish (a hang is a lost reply or a lost wakeup)',
      ).toBe('');
      expect(
        outcomes.slice(0, 3).flatMap((o) => valueFrom<string[]>(o)),
        'calls whose reply was not the answer to their own request',
      ).toEqual([]);
    }),
  );

  test(
    'a call that timed out leaves no stale reply: the next call gets its own',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { shared, segment } = setUp('stale');
      RpcChannel.init(segment, OFFSET, { capacity: 1, maxMessageBytes: MAX });
      const outcomes = await runActors(
        [
          actor('client', 'worker', 'impatientCaller', { ...shared, timeoutMs: 100 }),
          actor('server', 'worker', 'answerer', { ...shared, count: 2, delaysMs: [400, 0] }),
        ],
        { timeoutMs: 15_000 },
      );
      expect(describeFailures(outcomes)).toBe('');
      const { first, second } = valueFrom<{ first: number[] | null; second: number[] | null }>(
        outcomes[0],
      );
      expect(first, 'call(…, 100) while the server takes 400 ms').toBeNull();
      expect(second, 'the next call gets the answer to its own request, not the late one').toEqual([
        ...answerTo(requestFor(1, 1)),
      ]);
    }),
  );

  test(
    'credits: never more than `credits` messages in flight, each delivered exactly once in order (producer and consumer, worker and process)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const { shared, segment } = setUp('credits');
      const credits = 1 + (seed % 3),
        count = 300 + (seed % 100);
      CreditChannel.init(segment, OFFSET, { credits, maxMessageBytes: 8 });
      const outcomes = await runActors(
        [
          actor('producer', 'worker', 'producer', { ...shared, count, sent: SENT, taking: TAKING }),
          actor('consumer', 'process', 'consumer', { ...shared, count, taking: TAKING }),
        ],
        { timeoutMs: 20_000, perturb: { probability: 0.05, seed } },
      );
      const [producer, consumer] = outcomes;
      if (producer.status === 'done')
        expect(
          valueFrom<{ most: number }>(producer).most,
          `the most messages in flight with ${credits} credits (produces returned minus consumes begun)`,
        ).toBeLessThanOrEqual(credits);
      expect(
        describeFailures(outcomes),
        'producer and consumer finish (a hang is a credit never returned, or a lost wakeup)',
      ).toBe('');
      expect(valueFrom<number[]>(consumer), `the ${count} messages consumed, in order`).toEqual(
        Array.from({ length: count }, (_, i) => i),
      );
    }),
  );

  test(
    'sleeps in the futex while blocked: a call with no server, a produce with no credit, a consume with no message (no CPU burnt)',
    { timeout: 60_000 },
    seeded(ID, async () => {
      const { shared, segment } = setUp('cpu');
      RpcChannel.init(segment, OFFSET, { capacity: 1, maxMessageBytes: MAX });
      const full = CreditChannel.init(segment, 4096, { credits: 1, maxMessageBytes: 8 });
      const empty = CreditChannel.init(segment, SECOND, { credits: 1, maxMessageBytes: 8 });
      full.produce(Uint8Array.of(1, 0, 7));
      const waiters = watchActors(
        [
          actor('caller', 'worker', 'blocked', { ...shared, flag: FLAG, what: 'call' }),
          actor('producer', 'worker', 'blocked', {
            ...shared,
            offset: 4096,
            flag: FLAG,
            what: 'produce',
          }),
          actor('consumer', 'worker', 'blocked', {
            ...shared,
            offset: SECOND,
            flag: FLAG,
            what: 'consume',
          }),
          actor('server', 'worker', 'answererAfterGo', { ...shared, go: GO, count: 1 }),
        ],
        { timeoutMs: 15_000 },
      );
      await until(segment, FLAG, 'the three to block', 3, 20_000);
      const burnt = await cpuWhileBlocked(waiters, ['caller', 'producer', 'consumer'], 1000);
      // The server is an actor (a handler function cannot cross into the
      // submission's process), started with the others and let go now.
      segment.store(GO, 1);
      segment.notify(GO);
      expect([...full.consume()], 'the message produced before').toEqual([1, 0, 7]);
      empty.produce(Uint8Array.of(2, 0, 7));
      const everyone = await waiters.outcomes;
      expect(describeFailures(everyone)).toBe('');
      const outcomes = everyone.filter((o) => o.name !== 'server');
      for (const outcome of outcomes) {
        const { wallMs } = valueFrom<{ wallMs: number }>(outcome);
        expect(wallMs, `time the ${outcome.name} was blocked (ms)`).toBeGreaterThan(800);
        expectLittleCpu(burnt[outcome.name], `the ${outcome.name}`);
      }
      expect(outcomes.map((o) => valueFrom<{ returned: unknown }>(o).returned)).toEqual([
        answerTo(requestFor(3, 3)).join(','),
        'produced',
        '2,0,7',
      ]);
      expect([...full.consume()], "the blocked producer's message").toEqual([9, 0, 7]);
    }),
  );

  test(
    'each client gets its own replies, and credits bound what is in flight, under controlled schedules (2 clients + server, producer + consumer with 1 credit)',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      const rpcOptions = { capacity: 1, maxMessageBytes: 8 };
      const args = { implementation, offset: 64, credits: 1 };
      const clientsCheck = (outcomes: ActorResult[]) => {
        const problems = outcomes.slice(0, 2).flatMap((o) => o.value as string[]);
        return problems.length ? problems.join('; ') : null;
      };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 60,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 64 + RpcChannel.byteLength(rpcOptions),
        init: (segment) => void RpcChannel.init(segment, 64, rpcOptions),
        actors: [
          { name: 'A', kind: 'worker', scenario: 'client', args: { ...args, client: 1, count: 2 } },
          {
            name: 'B',
            kind: 'process',
            scenario: 'client',
            args: { ...args, client: 2, count: 1 },
          },
          { name: 'S', kind: 'worker', scenario: 'server', args: { ...args, count: 3 } },
        ],
        check: clientsCheck,
        // A failure is shown in the smallest of these that fails too: far fewer rows.
        smaller: [
          {
            label: 'A and B call once each, S serves 2, instead of 2 + 1 calls and 3 served',
            args: [
              { ...args, client: 1, count: 1 },
              { ...args, client: 2, count: 1 },
              { ...args, count: 2 },
            ],
            check: clientsCheck,
          },
        ],
      });
      const creditOptions = { credits: 1, maxMessageBytes: 8 };
      /** The check for a consumer that consumes `count` messages. */
      const creditCheck = (count: number) => (outcomes: ActorResult[]) => {
        const problems = outcomes[0].value as string[];
        if (problems.length) return problems.join('; ');
        const got = outcomes[1].value as number[];
        const expected = [...Array(count).keys()];
        return got.join() === expected.join()
          ? null
          : `the consumer got [${got.join(', ')}], expected [${expected.join(', ')}]`;
      };
      await underControl({
        exerciseId: ID,
        seed: seed + 1,
        // Two messages already need the credit back (or show one too many in flight).
        runs: 30,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 64 + CreditChannel.byteLength(creditOptions),
        init: (segment) => void CreditChannel.init(segment, 64, creditOptions),
        actors: [
          { name: 'P', kind: 'worker', scenario: 'producer', args: { ...args, count: 2 } },
          { name: 'C', kind: 'worker', scenario: 'consumer', args: { ...args, count: 2 } },
        ],
        check: creditCheck(2),
        // The producer's second message needs the credit of the consumer's first: one consume shows it.
        smaller: [
          {
            label: 'C consumes 1 message instead of 2',
            args: [
              { ...args, count: 2 },
              { ...args, count: 1 },
            ],
            check: creditCheck(1),
          },
        ],
      });
    }),
  );
});
