// Hidden suite: the unbounded mailbox (exercise 21-unbounded-mailbox). Names read as
// the contract; points per test are in points.json. Every race check carries its seed.
// Messages are checked byte for byte (scenarios.ts, messageFor/identify), so a torn one shows.
// Chunk segments are found in the segment folder (/dev/shm, or the grader's
// IPC_SHM_DIR) by the names the contract gives them.
import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, onTestFinished, test } from 'vitest';
import type * as UnboundedMailboxModule from '@submission/21-unbounded-mailbox/unbounded-mailbox.ts';
import { Segment, segmentFolder } from '@ipc-course/shim';
import {
  describeFailures,
  runActors,
  watchActors,
  type ActorOutcome,
} from '../../harness/actors.ts';
import { cpuWhileBlocked, expectLittleCpu } from '../../harness/blocked-cpu.ts';
import { seeded } from '../../harness/seed.ts';
import { scratchSegment } from '../../harness/segments.ts';
import { submissionModule } from '../../harness/submission.ts';
import { remoteModule } from '../../harness/realm/remote.ts';
import {
  actorsOf,
  EVENT_LOOP_GAP_LIMIT_MS,
  until,
  whileHostAwaits,
  thrownCode,
} from '../../harness/suite-kit.ts';
import { underControl, type ActorResult } from '../../harness/schedule/under-control.ts';
import { identify, messageFor, type Shared } from './scenarios.ts';

const ID = '21-unbounded-mailbox';
const scenarios = new URL('./scenarios.ts', import.meta.url);
const implementation = submissionModule(ID, 'unbounded-mailbox.ts');
// The submission runs in an untrusted object host; this process gets data back.
const { UnboundedMailbox } = remoteModule<typeof UnboundedMailboxModule>(
  ID,
  'unbounded-mailbox.ts',
);
const MAX = 40; // maxMessageBytes of every mailbox here
const MAILBOX_OFFSET = 64; // not 0, to catch offset mistakes; the suite's own cells from cell 8
const FLAG = 8;
const SLOT = 4 + MAX; // bytes a message slot takes at least

/** Chunk segments of the mailbox at `offset` in `segment` that exist now: the names in the segment folder. */
const chunksOf = (segment: Segment, offset = MAILBOX_OFFSET) =>
  readdirSync(segmentFolder()).filter((name) => name.startsWith(`${segment.name}-${offset}-`));
function unlinkChunks(segment: Segment): void {
  for (const name of readdirSync(segmentFolder()).filter((n) => n.startsWith(`${segment.name}-`))) {
    try {
      Segment.unlink(name);
    } catch {
      /* gone already */
    }
  }
}

function setUp(label: string, options: { chunkMessages: number; maxTotalBytes?: number }) {
  const segment = scratchSegment(1024, label);
  onTestFinished(() => unlinkChunks(segment)); // runs before the scratch segment's own cleanup
  const mailbox = UnboundedMailbox.init(segment, MAILBOX_OFFSET, {
    maxMessageBytes: MAX,
    maxTotalBytes: 1 << 26,
    ...options,
  });
  const shared: Shared = {
    implementation,
    segment: segment.name,
    mailboxOffset: MAILBOX_OFFSET,
    maxMessageBytes: MAX,
  };
  return { segment, mailbox, shared };
}
const actor = actorsOf(scenarios);
const valueFrom = <T>(outcome: ActorOutcome) => outcome.value as T;
const named = (bytes: Uint8Array | undefined) => identify(bytes, MAX);

describe('UnboundedMailbox (hidden)', () => {
  test(
    'follows the contract on one thread: byteLength, init, send, receive, tryReceive, EMSGSIZE, EINVAL, whole messages of every length',
    { timeout: 10_000 },
    seeded(ID, async () => {
      const { segment, mailbox } = setUp('contract', { chunkMessages: 3 });
      const bytes = UnboundedMailbox.byteLength({ maxMessageBytes: MAX });
      expect(
        Number.isInteger(bytes) && bytes % 4 === 0 && bytes > 0 && bytes <= 512,
        `byteLength({ maxMessageBytes: ${MAX} }) = ${bytes}`,
      ).toBe(true);
      const longest = Uint8Array.from({ length: MAX }, (_, i) => 255 - i);
      const given = messageFor(1, 5, MAX);
      mailbox.send(given);
      // `given` crossed to the submission's process as a copy, so changing it here
      // proves nothing; a mailbox that keeps the array instead of copying it into
      // the segment fails every test with a receiver in another process.
      mailbox.send(new Uint8Array(0));
      mailbox.send(longest);
      const attached = new UnboundedMailbox(segment, MAILBOX_OFFSET);
      const first = attached.receive();
      const empty = attached.tryReceive();
      expect(
        [named(first), empty instanceof Uint8Array ? empty.length : String(empty)],
        'receive, then tryReceive of the empty message, through a second instance on the same bytes',
      ).toEqual(['s1:5', 0]);
      expect(Array.from(mailbox.receive(0) ?? []), 'the longest message').toEqual(
        Array.from(longest),
      );
      expect([mailbox.tryReceive(), mailbox.receive(0)], 'then nothing').toEqual([
        undefined,
        undefined,
      ]);
      for (let round = 0; round < 30; round++) {
        const n = 1 + ((round * 7) % 11);
        for (let k = 0; k < n; k++) mailbox.send(messageFor(2, round * 16 + k, MAX));
        const got = Array.from({ length: n }, () => named(mailbox.receive()));
        expect(got, `round ${round}: ${n} messages through chunks of 3`).toEqual(
          Array.from({ length: n }, (_, k) => `s2:${round * 16 + k}`),
        );
      }
      expect(
        thrownCode(() => mailbox.send(new Uint8Array(MAX + 1))),
        `send of ${MAX + 1} bytes`,
      ).toBe('EMSGSIZE');
      expect(
        thrownCode(() => mailbox.send('hello' as unknown as Uint8Array)),
        'send of a string',
      ).toBe('EINVAL');
      for (const timeout of [-1, Number.NaN])
        expect(
          thrownCode(() => mailbox.receive(timeout)),
          `receive(${timeout})`,
        ).toBe('EINVAL');
      expect(
        thrownCode(() => UnboundedMailbox.byteLength({ maxMessageBytes: 0 })),
        'byteLength({ maxMessageBytes: 0 })',
      ).toBe('EINVAL');
      for (const chunkMessages of [0, 1.5, Number.NaN])
        expect(
          thrownCode(() =>
            UnboundedMailbox.init(segment, 512, {
              maxMessageBytes: MAX,
              chunkMessages,
              maxTotalBytes: 1 << 20,
            }),
          ),
          `init(…, { chunkMessages: ${chunkMessages} })`,
        ).toBe('EINVAL');
      expect(
        thrownCode(() =>
          UnboundedMailbox.init(segment, 512, {
            maxMessageBytes: MAX,
            chunkMessages: 4,
            maxTotalBytes: 0,
          }),
        ),
        'init(…, { maxTotalBytes: 0 })',
      ).toBe('EINVAL');
      expect(
        mailbox.tryReceive(),
        'nothing of a refused message is in the mailbox',
      ).toBeUndefined();
      const untouched = [
        ...segment.read(0, MAILBOX_OFFSET),
        ...segment.read(MAILBOX_OFFSET + bytes, 256),
      ];
      expect(
        untouched.every((b) => b === 0),
        'the mailbox writes only inside its own byteLength bytes of the segment',
      ).toBe(true);
    }),
  );

  test(
    'send never blocks: 10,000 messages queue up with no receiver, in chunk segments it creates, and come out in order',
    { timeout: 40_000 },
    seeded(ID, async (seed) => {
      const chunkMessages = 50 + (seed % 30);
      const { segment, mailbox, shared } = setUp('never-blocks', { chunkMessages });
      const count = 10_000;
      const [outcome] = await runActors(
        [actor('sender', 'worker', 'sender', { ...shared, sender: 1, count })],
        { timeoutMs: 15_000 },
      );
      expect(
        describeFailures([outcome]),
        `a worker sends ${count} messages with nobody receiving (a hang: send blocked)`,
      ).toBe('');
      const chunks = chunksOf(segment).length;
      expect(
        chunks,
        `chunk segments named "${segment.name}-${MAILBOX_OFFSET}-<generation>" holding ${count} messages of chunks of ${chunkMessages}`,
      ).toBeGreaterThanOrEqual(Math.ceil(count / chunkMessages));
      const got: (string | undefined)[] = [];
      for (let i = 0; i < count; i++) got.push(named(mailbox.tryReceive()));
      const wrong = got
        .map((id, seq) => (id === `s1:${seq}` ? null : `${seq}: ${id}`))
        .filter((x) => x !== null);
      expect(
        wrong.slice(0, 5),
        'messages received out of order, torn or missing (first 5)',
      ).toEqual([]);
      expect(mailbox.tryReceive(), 'and nothing more').toBeUndefined();
    }),
  );

  test(
    'gives back drained chunks: their segments are unlinked as soon as every message in them was received',
    { timeout: 10_000 },
    seeded(ID, async () => {
      const { segment, mailbox } = setUp('give-back', { chunkMessages: 4 });
      expect(chunksOf(segment), 'chunk segments of a new mailbox').toEqual([]);
      for (let seq = 0; seq < 10; seq++) mailbox.send(messageFor(1, seq, MAX));
      const full = chunksOf(segment);
      expect(
        full.length,
        `chunk segments after 10 sends into chunks of 4: ${full.join(', ')}`,
      ).toBe(3);
      const counts: number[] = [];
      const got: (string | undefined)[] = [];
      for (let seq = 0; seq < 10; seq++) {
        got.push(named(mailbox.receive(0)));
        counts.push(chunksOf(segment).length);
      }
      expect(got, 'the 10 messages').toEqual(Array.from({ length: 10 }, (_, seq) => `s1:${seq}`));
      expect(
        counts,
        'chunk segments left after each of the 10 receives (a chunk goes when its last message is received; the last one when the mailbox is empty)',
      ).toEqual([3, 3, 3, 2, 2, 2, 2, 1, 1, 0]);
      mailbox.send(messageFor(2, 0, MAX));
      const again = chunksOf(segment);
      expect(
        [again.length, full.includes(again[0])],
        'a send into the drained mailbox creates one chunk, under a new name',
      ).toEqual([1, false]);
      expect([named(mailbox.receive(0)), chunksOf(segment)]).toEqual(['s2:0', []]);
    }),
  );

  test(
    'refuses a send with ENOMEM before the chunks would pass maxTotalBytes, losing nothing, and sends again once drained',
    { timeout: 10_000 },
    seeded(ID, async (seed) => {
      const chunkMessages = 4 + (seed % 5);
      const maxTotalBytes = 5 * chunkMessages * SLOT + (seed % 97);
      const { segment, mailbox } = setUp('limit', { chunkMessages, maxTotalBytes });
      let sent = 0;
      let code: unknown = null;
      for (; sent < 10_000 && code === null; sent++)
        code = thrownCode(() => mailbox.send(messageFor(1, sent, MAX)));
      sent--; // the refused one
      expect(
        code,
        `the code of the first refused send, after ${sent} sends, maxTotalBytes ${maxTotalBytes}`,
      ).toBe('ENOMEM');
      const sizes = chunksOf(segment)
        .map((name) => Segment.open(name))
        .map((chunk) => {
          chunk.close();
          return chunk.byteLength;
        });
      const total = sizes.reduce((a, b) => a + b, 0);
      expect(
        total,
        `bytes of the ${sizes.length} chunk segments when a send was refused (maxTotalBytes ${maxTotalBytes})`,
      ).toBeLessThanOrEqual(maxTotalBytes);
      expect(
        total + Math.max(...sizes),
        'one chunk more would pass maxTotalBytes (the limit refuses only what does not fit)',
      ).toBeGreaterThan(maxTotalBytes);
      expect(sent, `messages sent into ${sizes.length} chunks of ${chunkMessages}`).toBeGreaterThan(
        (sizes.length - 1) * chunkMessages,
      );
      expect(
        thrownCode(() => mailbox.send(messageFor(1, sent, MAX))),
        'another send while still full',
      ).toBe('ENOMEM');
      const got = Array.from({ length: sent + 1 }, () => named(mailbox.tryReceive()));
      expect(got, 'every message sent before the refusal, in order, then nothing').toEqual([
        ...Array.from({ length: sent }, (_, seq) => `s1:${seq}`),
        undefined,
      ]);
      expect(chunksOf(segment), 'chunks once drained').toEqual([]);
      mailbox.send(messageFor(2, 1, MAX));
      expect(named(mailbox.receive(0)), 'a send after draining').toBe('s2:1');
    }),
  );

  test(
    "delivers every message exactly once, whole, in each sender's order (2 senders + 2 receivers, workers and processes, small chunks)",
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const chunkMessages = 2 + (seed % 6);
      const { segment, mailbox, shared } = setUp('exactly-once', { chunkMessages });
      const count = 300 + (seed % 200);
      const running = runActors(
        [
          actor('sender-1', 'worker', 'sender', { ...shared, sender: 1, count, doneCell: FLAG }),
          actor('sender-2', 'process', 'sender', { ...shared, sender: 2, count, doneCell: FLAG }),
          actor('receiver-1', 'worker', 'receiver', { ...shared, timeoutMs: 20_000 }),
          actor('receiver-2', 'process', 'receiver', { ...shared, timeoutMs: 20_000 }),
        ],
        { timeoutMs: 30_000, perturb: { probability: 0.05, seed } },
      );
      await until(segment, FLAG, 'both senders to finish', 2, 40_000);
      mailbox.close();
      const outcomes = await running;
      expect(
        describeFailures(outcomes),
        'every actor finishes (a hang here is a lost wakeup)',
      ).toBe('');
      const lists = outcomes.slice(2).map((o) => valueFrom<string[]>(o));
      const received = lists.flat();
      expect(
        received.filter((id) => !/^s[12]:\d+$/.test(id)),
        'messages received that are not exactly a message sent (torn)',
      ).toEqual([]);
      const sent = [1, 2].flatMap((s) => Array.from({ length: count }, (_, seq) => `s${s}:${seq}`));
      const missing = sent.filter((id) => !received.includes(id));
      const twice = received.filter((id, i) => received.indexOf(id) !== i);
      expect(
        { missing: missing.slice(0, 10), twice: twice.slice(0, 10) },
        `${sent.length} messages sent, received by 2 receivers`,
      ).toEqual({ missing: [], twice: [] });
      lists.forEach((list, r) => {
        for (const s of [1, 2]) {
          const order = list
            .filter((id) => id.startsWith(`s${s}:`))
            .map((id) => Number(id.split(':')[1]));
          expect(
            order,
            `receiver-${r + 1} got sender-${s}'s messages out of the order they were sent`,
          ).toEqual([...order].sort((a, b) => a - b));
        }
      });
      expect(chunksOf(segment), 'chunk segments once every message was received').toEqual([]);
    }),
  );

  test(
    'close: sends throw ECLOSED, receives drain what was sent, then return undefined at once, and every blocked receiver wakes',
    { timeout: 60_000 },
    seeded(ID, async () => {
      const { mailbox } = setUp('close', { chunkMessages: 2 });
      for (let seq = 0; seq < 3; seq++) mailbox.send(messageFor(1, seq, MAX));
      mailbox.close();
      expect(
        thrownCode(() => mailbox.send(messageFor(1, 3, MAX))),
        'send after close',
      ).toBe('ECLOSED');
      expect(
        [
          named(mailbox.receive()),
          named(mailbox.tryReceive()),
          named(await mailbox.receiveAsync()),
        ],
        'what was sent before close',
      ).toEqual(['s1:0', 's1:1', 's1:2']);
      const start = performance.now();
      expect(
        [
          mailbox.receive(),
          mailbox.receive(5000),
          mailbox.tryReceive(),
          await mailbox.receiveAsync(),
        ],
        'receives on a closed, drained mailbox',
      ).toEqual([undefined, undefined, undefined, undefined]);
      expect(performance.now() - start, 'they return at once (ms)').toBeLessThan(1000);
      mailbox.close(); // a second close changes nothing
      const { segment: other, mailbox: open, shared } = setUp('close-wakes', { chunkMessages: 2 });
      const specs = [
        actor('receiver-0', 'worker', 'blockedReceive', { ...shared, flag: FLAG }),
        actor('receiver-1', 'worker', 'blockedReceive', { ...shared, flag: FLAG }),
        actor('receiver-2', 'process', 'blockedReceive', { ...shared, flag: FLAG }),
      ];
      const running = runActors(specs, { timeoutMs: 6000 });
      await until(other, FLAG, 'the receivers to block', specs.length, 45_000);
      await sleep(300);
      const closedAt = Date.now();
      open.close();
      const outcomes = await running;
      expect(
        describeFailures(outcomes),
        'every blocked receiver wakes when the mailbox closes',
      ).toBe('');
      expect(
        outcomes.map((o) => valueFrom<{ returned: unknown }>(o).returned),
        'what each blocked receive returned',
      ).toEqual([null, null, null]);
      const slowest = Math.max(
        ...outcomes.map((o) => valueFrom<{ endedAt: number }>(o).endedAt - closedAt),
      );
      expect(slowest, 'the last woken receiver returned this long after close() (ms)').toBeLessThan(
        4000,
      );
    }),
  );

  test(
    'receiveAsync waits without blocking the event loop; timed receives give up in about their time',
    { timeout: 40_000 },
    seeded(ID, async () => {
      const { segment, mailbox, shared } = setUp('async', { chunkMessages: 2 });
      let start = performance.now();
      expect(mailbox.receive(250), 'receive(250) on an empty mailbox').toBeUndefined();
      let waited = performance.now() - start;
      expect(
        [waited >= 240, waited < 3000],
        `receive(250) returned after ${waited.toFixed(0)} ms`,
      ).toEqual([true, true]);
      start = performance.now();
      expect(
        await mailbox.receiveAsync(250),
        'receiveAsync(250) on an empty mailbox',
      ).toBeUndefined();
      waited = performance.now() - start;
      expect(
        [waited >= 240, waited < 3000],
        `receiveAsync(250) resolved after ${waited.toFixed(0)} ms`,
      ).toEqual([true, true]);
      const holdMs = 1500; // well past EVENT_LOOP_GAP_LIMIT_MS: blocking through it shows
      const other = runActors(
        [
          actor('sender', 'worker', 'sendAfter', {
            ...shared,
            flag: FLAG,
            afterMs: holdMs,
            seq: 7,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the worker to start');
      // The host answers pings on its event loop; if receiveAsync blocks its thread
      // anywhere (in the call itself or after an await), a gap spans the wait.
      const { value, longestGapMs, answers } = await whileHostAwaits(mailbox.receiveAsync(8000));
      expect(describeFailures(await other)).toBe('');
      expect(
        named(value),
        `receiveAsync resolves with the message a worker sends ${holdMs} ms later`,
      ).toBe('s9:7');
      expect(
        longestGapMs,
        "longest gap between answers of the submission's event loop while receiveAsync waited (ms)",
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      expect(
        answers,
        'pings the event loop answered while receiveAsync was pending',
      ).toBeGreaterThan(10);
    }),
  );

  test(
    'sleeps in the futex while blocked in receive, and wakes for a send that creates a chunk (no CPU burnt)',
    { timeout: 60_000 },
    seeded(ID, async () => {
      const { segment, mailbox, shared } = setUp('cpu', { chunkMessages: 2 });
      mailbox.send(messageFor(1, 0, MAX));
      expect(
        named(mailbox.receive(0)),
        'a message through, so the next send creates a chunk again',
      ).toBe('s1:0');
      const waiter = watchActors(
        [actor('receiver', 'worker', 'blockedReceive', { ...shared, flag: FLAG })],
        { timeoutMs: 5000 },
      );
      await until(segment, FLAG, 'the receiver to block', 1, 40_000);
      const burnt = await cpuWhileBlocked(waiter, ['receiver'], 1000);
      mailbox.send(messageFor(1, 5, MAX));
      const [outcome] = await waiter.outcomes;
      expect(
        describeFailures([outcome]),
        'the blocked receiver wakes for the send (a hang: no notify when a chunk was created)',
      ).toBe('');
      const { returned, wallMs } = valueFrom<{
        returned: string;
        wallMs: number;
      }>(outcome);
      expect(returned, 'the receiver got the message').toBe('s1:5');
      expect(wallMs, 'time the receiver was blocked (ms)').toBeGreaterThan(800);
      expectLittleCpu(burnt.receiver, 'the receiver');
    }),
  );

  test(
    'delivers each message once, whole, per sender in order, across chunk boundaries, and wakes every receiver at close, under controlled schedules',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      const options = { maxMessageBytes: 8, chunkMessages: 2, maxTotalBytes: 1 << 20 };
      const args = { implementation, mailboxOffset: 64, closeAfter: 0 };
      /** The check for A and B sending this many messages. */
      const checkFor =
        (sends: { A: number; B: number }) =>
        (outcomes: ActorResult[], segment: Segment): string | null => {
          const left = chunksOf(segment, 64);
          unlinkChunks(segment);
          const problems = outcomes.flatMap((o) =>
            (o.value as string[]).filter((x) => x.includes(' ')),
          );
          if (problems.length) return problems.join('; ');
          const lists = outcomes.slice(2).map((o) => o.value as string[]);
          const all = lists.flat();
          const expected = [
            ...Array.from({ length: sends.A }, (_, seq) => `1:${seq}`),
            ...Array.from({ length: sends.B }, (_, seq) => `2:${seq}`),
          ];
          if ([...all].sort().join() !== expected.join())
            return `the receivers got [${lists.map((l) => l.join(', ')).join('] and [')}]; expected ${expected.join(', ')}, each once and whole`;
          for (const list of lists) {
            for (const tag of [1, 2]) {
              const mine = list.filter((id) => id.startsWith(`${tag}:`));
              if (mine.join() !== [...mine].sort().join())
                return `a receiver got [${list.join(', ')}]: sender ${tag}'s messages out of order`;
            }
          }
          return left.length
            ? `every message was received, but chunk segments are left: ${left.join(', ')}`
            : null;
        };
      /** A and B send, R1 and R2 receive this many messages (0: the actor does nothing); A closes once all the others are done. */
      const version = (sends: { A: number; B: number }, receives: { R1: number; R2: number }) => {
        const busy = [sends.B, receives.R1, receives.R2].filter((n) => n > 0).length + 1;
        const idle = { ...args, tag: 0, count: 0, idle: true };
        return {
          label: `A sends ${sends.A}, B ${sends.B}; R1 receives ${receives.R1}, R2 ${receives.R2} (instead of 3, 2; 3, 2)`,
          args: [
            { ...args, tag: 1, count: sends.A, closeAfter: busy },
            sends.B ? { ...args, tag: 2, count: sends.B } : idle,
            receives.R1 ? { ...args, count: receives.R1, closeAfter: busy } : idle,
            receives.R2 ? { ...args, count: receives.R2, closeAfter: busy, tryFirst: true } : idle,
          ],
          check: checkFor(sends),
        };
      };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 100,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 64 + UnboundedMailbox.byteLength(options),
        init: (segment) => void UnboundedMailbox.init(segment, 64, options),
        actors: [
          {
            name: 'A',
            kind: 'worker',
            scenario: 'sendTagged',
            args: { ...args, tag: 1, count: 3, closeAfter: 4 },
          },
          {
            name: 'B',
            kind: 'process',
            scenario: 'sendTagged',
            args: { ...args, tag: 2, count: 2 },
          },
          {
            name: 'R1',
            kind: 'worker',
            scenario: 'receiveAll',
            args: { ...args, count: 3, closeAfter: 4 },
          },
          {
            name: 'R2',
            kind: 'process',
            scenario: 'receiveAll',
            args: { ...args, count: 2, closeAfter: 4, tryFirst: true }, // tryReceive races receive
          },
        ],
        check: checkFor({ A: 3, B: 2 }),
        // A failure is shown in the smallest of these that fails too: far fewer rows.
        smaller: [
          version({ A: 2, B: 0 }, { R1: 2, R2: 0 }),
          version({ A: 3, B: 0 }, { R1: 3, R2: 0 }),
          version({ A: 2, B: 1 }, { R1: 3, R2: 0 }),
          version({ A: 2, B: 2 }, { R1: 2, R2: 2 }),
        ],
      });
    }),
  );
});
