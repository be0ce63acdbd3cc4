// Hidden suite: the mailbox (exercise 18-mailbox). Names read as the contract;
// points per test are in points.json. Every race check carries its seed; a
// history that is not linearizable is printed as a timeline. Messages are
// checked byte for byte (scenarios.ts, messageFor/identify), so a torn one shows.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type * as MailboxModule from '@submission/18-mailbox/mailbox.ts';
import type { Segment } from '@ipc-course/shim';
import {
  describeFailures,
  runActors,
  watchActors,
  type ActorOutcome,
  type ActorSpec,
} from '../../harness/actors.ts';
import { cpuWhileBlocked, expectLittleCpu } from '../../harness/blocked-cpu.ts';
import { joinHistories } from '../../harness/history.ts';
import { checkOperations } from '../../harness/linearizability.ts';
import { queueModel, type QueueInput, type QueueOutput } from '../../harness/models/queue.ts';
import { seeded } from '../../harness/seed.ts';
import { scratchSegment } from '../../harness/segments.ts';
import { submissionModule } from '../../harness/submission.ts';
import { explainVerdict } from '../../harness/timeline.ts';
import { remoteModule } from '../../harness/realm/remote.ts';
import {
  actorsOf,
  EVENT_LOOP_GAP_LIMIT_MS,
  invariantsHold,
  until,
  whileHostAwaits,
  thrownCodeAsync,
} from '../../harness/suite-kit.ts';
import { underControl, type ActorResult } from '../../harness/schedule/under-control.ts';
import { identify, messageFor, type Shared } from './scenarios.ts';

const ID = '18-mailbox';
const scenarios = new URL('./scenarios.ts', import.meta.url);
const implementation = submissionModule(ID, 'mailbox.ts');
// The submission runs in an untrusted object host; this process gets data back.
const { Mailbox } = remoteModule<typeof MailboxModule>(ID, 'mailbox.ts');
type Mailbox = MailboxModule.Mailbox;

// Layout of the test segment: the first mailbox at byte 64 (not 0, to catch offset
// mistakes), the suite's own cells from cell 8 (bytes 32-63), more mailboxes from 1024.
const MAX = 48; // maxMessageBytes of every mailbox here
const MAILBOX_OFFSET = 64;
const FLAG = 8;
const SENDS_DONE = 9;
const RECEIVES_CALLED = 10;
const SECOND_OFFSET = 2048;
const THIRD_OFFSET = 4096;

function setUp(
  label: string,
  capacity: number,
): { segment: Segment; mailbox: Mailbox; shared: Shared } {
  const segment = scratchSegment(8192, label);
  const mailbox = Mailbox.init(segment, MAILBOX_OFFSET, { capacity, maxMessageBytes: MAX });
  return {
    segment,
    mailbox,
    shared: {
      implementation,
      segment: segment.name,
      mailboxOffset: MAILBOX_OFFSET,
      maxMessageBytes: MAX,
    },
  };
}

const actor = actorsOf(scenarios);
const valueFrom = <T>(outcome: ActorOutcome) => outcome.value as T;
const named = (bytes: Uint8Array | undefined) => identify(bytes, MAX);

describe('Mailbox (hidden)', () => {
  test(
    'follows the contract on one thread: init, byteLength, send, receive, trySend, tryReceive, size, whole messages of every length',
    { timeout: 10_000 },
    seeded(ID, () => {
      const { segment, mailbox } = setUp('contract', 3);
      const bytes = Mailbox.byteLength({ capacity: 3, maxMessageBytes: MAX });
      expect(
        Number.isInteger(bytes) && bytes % 4 === 0 && bytes >= 3 * MAX && bytes <= 1024,
        `Mailbox.byteLength({ capacity: 3, maxMessageBytes: ${MAX} }) = ${bytes}`,
      ).toBe(true);
      expect(
        Mailbox.byteLength({ capacity: 100, maxMessageBytes: MAX }),
        'byteLength grows with the capacity',
      ).toBeGreaterThanOrEqual(bytes + 97 * MAX);
      expect(
        [mailbox.capacity, mailbox.maxMessageBytes, mailbox.size],
        'capacity, maxMessageBytes and size after init',
      ).toEqual([3, MAX, 0]);
      invariantsHold(mailbox);
      const longest = Uint8Array.from({ length: MAX }, (_, i) => 255 - i);
      const given = messageFor(1, 5, MAX);
      expect(
        [
          mailbox.send(given),
          mailbox.trySend(new Uint8Array(0)),
          mailbox.send(longest, 0),
          mailbox.trySend(messageFor(1, 6, MAX)),
        ],
        'send, trySend (empty message), send(…, 0), trySend into 3 slots',
      ).toEqual([true, true, true, false]);
      // `given` crossed to the submission's process as a copy, so changing it here
      // proves nothing; a mailbox that keeps the array instead of copying it into
      // the segment fails every test with a receiver in another process.
      expect(
        [mailbox.size, mailbox.send(messageFor(1, 7, MAX), 0)],
        'size when full, and send(…, 0) into a full mailbox',
      ).toEqual([3, false]);
      const attached = new Mailbox(segment, MAILBOX_OFFSET);
      expect(
        [attached.capacity, attached.maxMessageBytes, attached.size],
        'a second instance on the same bytes',
      ).toEqual([3, MAX, 3]);
      const first = attached.receive();
      const empty = mailbox.tryReceive();
      expect(
        [named(first), empty instanceof Uint8Array ? empty.length : String(empty)],
        'receive, then tryReceive of the empty message',
      ).toEqual(['s1:5', 0]);
      expect(
        [Array.from(mailbox.receive(0) ?? []), mailbox.tryReceive(), mailbox.receive(0)],
        'the longest message, then empty',
      ).toEqual([Array.from(longest), undefined, undefined]);
      for (let seq = 0; seq < 40; seq++) {
        const got: (string | undefined)[] = [];
        for (let k = 0; k < 1 + (seq % 3); k++)
          expect(mailbox.send(messageFor(2, seq * 3 + k, MAX)), `send number ${seq * 3 + k}`).toBe(
            true,
          );
        for (let k = 0; k < 1 + (seq % 3); k++) got.push(named(mailbox.receive()));
        expect(got, `round ${seq} around the ring, messages of varying length`).toEqual(
          Array.from({ length: 1 + (seq % 3) }, (_, k) => `s2:${seq * 3 + k}`),
        );
      }
      expect(mailbox.size).toBe(0);
      invariantsHold(mailbox);
      const untouched = [...segment.read(0, 32), ...segment.read(MAILBOX_OFFSET + bytes, 512)];
      expect(
        untouched.every((b) => b === 0),
        'the mailbox writes only inside its own byteLength(options) bytes',
      ).toBe(true);
    }),
  );

  test(
    'throws EMSGSIZE for a message over maxMessageBytes, and EINVAL for bad capacity, maxMessageBytes, timeouts and messages',
    { timeout: 10_000 },
    seeded(ID, async () => {
      const { segment, mailbox } = setUp('misuse', 2);
      const tooLong = Uint8Array.from({ length: MAX + 1 }, (_, i) => i + 1);
      expect(
        [
          await thrownCodeAsync(() => mailbox.send(tooLong)),
          await thrownCodeAsync(() => mailbox.trySend(tooLong)),
          await thrownCodeAsync(() => mailbox.sendAsync(tooLong)),
        ],
        `send, trySend, sendAsync of ${MAX + 1} bytes into maxMessageBytes ${MAX}`,
      ).toEqual(['EMSGSIZE', 'EMSGSIZE', 'EMSGSIZE']);
      expect(
        [mailbox.size, mailbox.tryReceive()],
        'nothing of a refused message is in the mailbox',
      ).toEqual([0, undefined]);
      for (const capacity of [-1, 1.5, Number.NaN]) {
        expect(
          await thrownCodeAsync(() => Mailbox.byteLength({ capacity, maxMessageBytes: MAX })),
          `byteLength({ capacity: ${capacity} })`,
        ).toBe('EINVAL');
        expect(
          await thrownCodeAsync(() =>
            Mailbox.init(segment, SECOND_OFFSET, { capacity, maxMessageBytes: MAX }),
          ),
          `init(…, { capacity: ${capacity} })`,
        ).toBe('EINVAL');
      }
      for (const maxMessageBytes of [0, -8, 2.5, Number.NaN]) {
        expect(
          await thrownCodeAsync(() =>
            Mailbox.init(segment, SECOND_OFFSET, { capacity: 2, maxMessageBytes }),
          ),
          `init(…, { maxMessageBytes: ${maxMessageBytes} })`,
        ).toBe('EINVAL');
      }
      for (const message of ['hello', [1, 2, 3], null, 42]) {
        expect(
          await thrownCodeAsync(() => mailbox.send(message as unknown as Uint8Array)),
          `send(${JSON.stringify(message)})`,
        ).toBe('EINVAL');
      }
      const ok = messageFor(1, 1, MAX);
      expect(
        [
          await thrownCodeAsync(() => mailbox.receive(-1)),
          await thrownCodeAsync(() => mailbox.receive(Number.NaN)),
          await thrownCodeAsync(() => mailbox.send(ok, -5)),
          await thrownCodeAsync(() => mailbox.receiveAsync(-1)),
          await thrownCodeAsync(() => mailbox.sendAsync(ok, Number.NaN)),
        ],
        'receive(-1), receive(NaN), send(…, -5), receiveAsync(-1), sendAsync(…, NaN)',
      ).toEqual(['EINVAL', 'EINVAL', 'EINVAL', 'EINVAL', 'EINVAL']);
      expect(
        [mailbox.size, mailbox.send(ok), named(mailbox.receive())],
        'the mailbox still works after refused calls',
      ).toEqual([0, true, 's1:1']);
      invariantsHold(mailbox);
    }),
  );

  test(
    "delivers every message exactly once, whole, in each sender's order, linearizably (3 senders + 3 receivers, workers and processes)",
    { timeout: 120_000 },
    seeded(ID, async (seed) => {
      const capacity = 2 + (seed % 3);
      const { mailbox, shared } = setUp('linearizable', capacity);
      const perActor = 40 + (seed % 20);
      const sender = (n: number) => ({
        ...shared,
        clientId: `sender-${n}`,
        sender: n,
        count: perActor,
      });
      const receiver = (n: number) => ({ ...shared, clientId: `receiver-${n}`, count: perActor });
      const outcomes = await runActors(
        [
          actor('sender-0', 'worker', 'recordedSender', sender(0)),
          actor('sender-1', 'process', 'recordedSender', sender(1)),
          actor('sender-2', 'worker', 'recordedSender', sender(2)),
          actor('receiver-0', 'process', 'recordedReceiver', receiver(0)),
          actor('receiver-1', 'worker', 'recordedReceiver', receiver(1)),
          actor('receiver-2', 'worker', 'recordedReceiver', receiver(2)),
        ],
        { timeoutMs: 40_000, perturb: { probability: 0.05, seed } },
      );
      expect(
        describeFailures(outcomes),
        'every actor finishes (a hang here is a deadlock or a lost wakeup)',
      ).toBe('');
      const history = joinHistories<QueueInput, QueueOutput>(outcomes.map((o) => o.value));
      const received = history
        .filter((o) => o.input.op === 'take' || o.input.op === 'tryTake')
        .map((o) => o.output)
        .filter((v) => typeof v === 'string') as string[];
      expect(
        received.filter((id) => id.startsWith('torn')),
        'messages received that are not exactly a message sent (torn: part old bytes, part new)',
      ).toEqual([]);
      const sent = [0, 1, 2].flatMap((s) =>
        Array.from({ length: perActor }, (_, seq) => `s${s}:${seq}`),
      );
      const missing = sent.filter((id) => !received.includes(id));
      const twice = received.filter((id, i) => received.indexOf(id) !== i);
      expect(
        { missing, twice },
        `${sent.length} messages sent by 3 senders, received by 3 receivers`,
      ).toEqual({ missing: [], twice: [] });
      for (const r of [0, 1, 2]) {
        const mine = history
          .filter((o) => o.clientId === `receiver-${r}` && typeof o.output === 'string')
          .map((o) => o.output as string);
        for (const s of [0, 1, 2]) {
          const order = mine
            .filter((id) => id.startsWith(`s${s}:`))
            .map((id) => Number(id.split(':')[1]));
          expect(
            order,
            `receiver-${r} got sender-${s}'s messages out of the order they were sent`,
          ).toEqual([...order].sort((a, b) => a - b));
        }
      }
      const model = queueModel({ capacity });
      const result = checkOperations(model, history, { timeoutMs: 30_000 });
      if (result.verdict === 'unknown')
        throw new Error(
          `the linearizability checker could not decide on ${history.length} operations: ${explainVerdict(model, result)}`,
        );
      expect(
        result.verdict,
        `history of ${history.length} operations against a FIFO queue of capacity ${capacity}: ${explainVerdict(model, result)}`,
      ).toBe('ok');
      expect(mailbox.size, 'size once every message is received').toBe(0);
      invariantsHold(mailbox);
    }),
  );

  test(
    'never holds more than capacity messages (2 senders + 2 receivers, workers and processes)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const capacity = 2;
      const { segment, mailbox, shared } = setUp('capacity', capacity);
      const fill = [0, 1, 2].map((seq) => mailbox.trySend(messageFor(5, seq, MAX)));
      expect(fill, `trySend three times into an empty mailbox of capacity ${capacity}`).toEqual([
        true,
        true,
        false,
      ]);
      expect(
        [named(mailbox.receive(0)), named(mailbox.receive(0)), mailbox.receive(0)],
        'and back out',
      ).toEqual(['s5:0', 's5:1', undefined]);
      const count = 400 + (seed % 200);
      const sender = (n: number) => ({
        ...shared,
        sender: n,
        count,
        capacity,
        sendsDone: SENDS_DONE,
        receivesCalled: RECEIVES_CALLED,
      });
      const receiver = { ...shared, count, capacity, receivesCalled: RECEIVES_CALLED };
      const outcomes = await runActors(
        [
          actor('sender-0', 'worker', 'capacitySender', sender(0)),
          actor('sender-1', 'process', 'capacitySender', sender(1)),
          actor('receiver-0', 'worker', 'capacityReceiver', receiver),
          actor('receiver-1', 'process', 'capacityReceiver', receiver),
        ],
        { timeoutMs: 30_000, perturb: { probability: 0.05, seed } },
      );
      // Overfilling shows first: a ring that overflows also loses messages, and then receivers wait for them in vain.
      const finished = outcomes.filter((o) => o.status === 'done');
      const most = Math.max(0, ...finished.map((o) => valueFrom<{ most?: number }>(o).most ?? 0));
      const badSizes = finished.reduce(
        (sum, o) => sum + valueFrom<{ badSizes: number }>(o).badSizes,
        0,
      );
      expect(
        most,
        `the most messages in a mailbox of capacity ${capacity} (sends returned minus receives called)`,
      ).toBeLessThanOrEqual(capacity);
      expect(badSizes, `times size was read outside 0..${capacity}`).toBe(0);
      expect(
        describeFailures(outcomes),
        'every actor finishes (a hang here is a deadlock or a lost wakeup)',
      ).toBe('');
      expect(
        finished.flatMap((o) => valueFrom<{ torn?: string[] }>(o).torn ?? []),
        'torn messages received',
      ).toEqual([]);
      expect(
        [segment.load(SENDS_DONE), mailbox.size],
        'sends returned, and size once every message is received',
      ).toEqual([2 * count, 0]);
      invariantsHold(mailbox);
    }),
  );

  test(
    'with capacity 0, send returns only after a receiver has taken that very message (rendezvous, workers and processes)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const { segment, mailbox, shared } = setUp('rendezvous', 0);
      expect(
        [mailbox.capacity, mailbox.trySend(messageFor(1, 0, MAX)), mailbox.tryReceive()],
        'capacity 0: trySend with no receiver waiting, then tryReceive',
      ).toEqual([0, false, undefined]);
      let resolved = false;
      const sending = mailbox
        .sendAsync(messageFor(1, 1, MAX), 5000)
        .then((ok) => ((resolved = true), ok));
      await sleep(300);
      expect(
        resolved,
        'sendAsync into a capacity-0 mailbox resolved while nobody had received',
      ).toBe(false);
      expect(
        named(mailbox.tryReceive()),
        'tryReceive takes the message of the waiting sender',
      ).toBe('s1:1');
      expect(await sending, 'then sendAsync resolves true').toBe(true);
      expect([mailbox.size, mailbox.tryReceive()], 'nothing is left').toEqual([0, undefined]);
      // Two senders and two slow receivers: each send must return after the receive that got its message was called.
      const rendezvous = Mailbox.init(segment, SECOND_OFFSET, {
        capacity: 0,
        maxMessageBytes: MAX,
      });
      const there = { ...shared, mailboxOffset: SECOND_OFFSET };
      const count = 20 + (seed % 10);
      const outcomes = await runActors(
        [
          actor('sender-1', 'worker', 'rendezvousSender', { ...there, sender: 1, count }),
          actor('sender-2', 'process', 'rendezvousSender', { ...there, sender: 2, count }),
          actor('receiver-0', 'process', 'rendezvousReceiver', { ...there, count, seed }),
          actor('receiver-1', 'worker', 'rendezvousReceiver', { ...there, count, seed: seed + 1 }),
        ],
        { timeoutMs: 30_000 },
      );
      expect(describeFailures(outcomes), 'every actor finishes').toBe('');
      type Stamp = { id: string; call: number; returned: number };
      const sends = outcomes.slice(0, 2).flatMap((o) => valueFrom<Stamp[]>(o));
      const receives = new Map(
        outcomes
          .slice(2)
          .flatMap((o) => valueFrom<Stamp[]>(o))
          .map((r) => [r.id, r]),
      );
      expect(
        [...receives.keys()].filter((id) => id.startsWith('torn')),
        'torn messages received',
      ).toEqual([]);
      expect(
        sends.filter((s) => !receives.has(s.id)).map((s) => s.id),
        'messages whose send returned true but nobody received',
      ).toEqual([]);
      const early = sends
        .filter((s) => s.returned < receives.get(s.id)!.call)
        .map(
          (s) =>
            `${s.id}: send returned ${((receives.get(s.id)!.call - s.returned) / 1e6).toFixed(2)} ms before the receive that got it was called`,
        );
      expect(early, 'sends that returned before any receiver had taken their message').toEqual([]);
      expect([rendezvous.size, rendezvous.tryReceive()], 'nothing is left').toEqual([0, undefined]);
      invariantsHold(rendezvous);
    }),
  );

  test(
    'close: sends throw ECLOSED, receives drain what was sent, then return undefined at once',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { mailbox, shared } = setUp('close', 3);
      expect([mailbox.send(messageFor(1, 1, MAX)), mailbox.send(messageFor(1, 2, MAX))]).toEqual([
        true,
        true,
      ]);
      mailbox.close();
      expect(
        await thrownCodeAsync(() => mailbox.send(messageFor(1, 3, MAX))),
        'send after close()',
      ).toBe('ECLOSED');
      expect(
        await thrownCodeAsync(() => mailbox.trySend(messageFor(1, 3, MAX))),
        'trySend after close()',
      ).toBe('ECLOSED');
      const rejected = mailbox.sendAsync(messageFor(1, 3, MAX));
      expect(rejected, 'sendAsync returns a Promise').toBeInstanceOf(Promise);
      expect(await thrownCodeAsync(() => rejected), 'sendAsync after close() rejects').toBe(
        'ECLOSED',
      );
      expect(mailbox.size, 'size after refused sends').toBe(2);
      expect(
        [named(mailbox.receive(5000)), named(mailbox.tryReceive())],
        'receives after close() drain what was sent',
      ).toEqual(['s1:1', 's1:2']);
      const start = performance.now();
      expect(
        [mailbox.receive(5000), mailbox.tryReceive(), await mailbox.receiveAsync(5000)],
        'receive(5000), tryReceive(), receiveAsync(5000) once closed and drained',
      ).toEqual([undefined, undefined, undefined]);
      expect(performance.now() - start, 'they return at once (ms)').toBeLessThan(1000);
      mailbox.close(); // a second close changes nothing
      const outcomes = await runActors(
        [
          actor('receiver-worker', 'worker', 'timedCall', shared), // receive() with no timeout
          actor('receiver-process', 'process', 'timedCall', { ...shared, timeoutMs: 8000 }),
        ],
        { timeoutMs: 10_000 },
      );
      expect(
        describeFailures(outcomes),
        'receive() on a closed, drained mailbox returns at once, in another thread and process too',
      ).toBe('');
      for (const outcome of outcomes) {
        const { returned, elapsedMs } = valueFrom<{ returned: string | null; elapsedMs: number }>(
          outcome,
        );
        expect(
          [returned, elapsedMs < 2000],
          `${outcome.name}: receive() returned, and at once`,
        ).toEqual([null, true]);
      }
      invariantsHold(mailbox);
    }),
  );

  test(
    'close wakes every blocked receiver and every blocked sender, a rendezvous sender too',
    { timeout: 70_000 },
    seeded(ID, async () => {
      const { segment, mailbox: empty, shared } = setUp('close-wakes', 2);
      const full = Mailbox.init(segment, SECOND_OFFSET, { capacity: 1, maxMessageBytes: MAX });
      const rendezvous = Mailbox.init(segment, THIRD_OFFSET, { capacity: 0, maxMessageBytes: MAX });
      expect(full.send(messageFor(1, 99, MAX))).toBe(true);
      const fullShared = { ...shared, mailboxOffset: SECOND_OFFSET };
      const rendezvousShared = { ...shared, mailboxOffset: THIRD_OFFSET };
      const specs = [
        actor('receiver-0', 'worker', 'blockedCall', { ...shared, flag: FLAG }),
        actor('receiver-1', 'worker', 'blockedCall', { ...shared, flag: FLAG }),
        actor('receiver-2', 'process', 'blockedCall', { ...shared, flag: FLAG }),
        actor('sender-0', 'worker', 'blockedCall', { ...fullShared, flag: FLAG, seq: 1 }),
        actor('sender-1', 'process', 'blockedCall', { ...fullShared, flag: FLAG, seq: 2 }),
        actor('rendezvous-sender-0', 'worker', 'blockedCall', {
          ...rendezvousShared,
          flag: FLAG,
          seq: 3,
        }),
        actor('rendezvous-sender-1', 'worker', 'blockedCall', {
          ...rendezvousShared,
          flag: FLAG,
          seq: 4,
        }),
      ];
      const running = runActors(specs, { timeoutMs: 6000 });
      await until(segment, FLAG, 'the receivers and senders to block', specs.length, 45_000); // starting processes on a busy machine is slow
      await sleep(300); // they are asleep now
      const closedAt = Date.now();
      for (const mailbox of [empty, full, rendezvous]) mailbox.close();
      const outcomes = await running;
      expect(
        describeFailures(outcomes),
        'every blocked caller wakes when its mailbox closes (a hang is a caller close() did not wake)',
      ).toBe('');
      const seen = outcomes.map((o) => {
        const { returned, code } = valueFrom<{ returned?: unknown; code?: string }>(o);
        return `${o.name}: ${code ?? `returned ${String(returned)}`}`;
      });
      expect(
        seen,
        'what each blocked call did once close() came (a rendezvous sender whose message nobody took throws ECLOSED)',
      ).toEqual([
        'receiver-0: returned null',
        'receiver-1: returned null',
        'receiver-2: returned null',
        'sender-0: ECLOSED',
        'sender-1: ECLOSED',
        'rendezvous-sender-0: ECLOSED',
        'rendezvous-sender-1: ECLOSED',
      ]);
      const slowest = Math.max(
        ...outcomes.map((o) => valueFrom<{ endedAt: number }>(o).endedAt - closedAt),
      );
      expect(slowest, 'the last woken caller returned this long after close() (ms)').toBeLessThan(
        4000,
      );
      expect(
        [named(full.receive(0)), full.receive(0)],
        'the full mailbox still drains its message',
      ).toEqual(['s1:99', undefined]);
      expect(
        rendezvous.receive(0),
        'a rendezvous message whose sender threw ECLOSED is not delivered',
      ).toBeUndefined();
      for (const mailbox of [empty, full, rendezvous]) invariantsHold(mailbox);
    }),
  );

  test(
    'ping-pongs through 1-slot and rendezvous mailboxes without losing a wakeup (workers + processes)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const { shared, segment } = setUp('ping-pong', 1);
      const rounds = 150 + (seed % 100);
      const pairs: [capacity: number, 'worker' | 'process', 'worker' | 'process'][] = [
        [1, 'worker', 'process'],
        [1, 'process', 'process'],
        [0, 'process', 'worker'],
      ];
      const specs: ActorSpec[] = [];
      const mailboxes: Mailbox[] = [];
      pairs.forEach(([capacity, pingKind, pongKind], pair) => {
        const mailboxOffset = 1024 + pair * 1024;
        const replyOffset = mailboxOffset + 512;
        for (const offset of [mailboxOffset, replyOffset])
          mailboxes.push(Mailbox.init(segment, offset, { capacity, maxMessageBytes: MAX }));
        specs.push(
          actor(`ping-${pair}`, pingKind, 'pingPong', {
            ...shared,
            mailboxOffset,
            replyOffset,
            rounds,
            role: 'ping',
          }),
        );
        specs.push(
          actor(`pong-${pair}`, pongKind, 'pingPong', {
            ...shared,
            mailboxOffset,
            replyOffset,
            rounds,
            role: 'pong',
          }),
        );
      });
      const outcomes = await runActors(specs, {
        timeoutMs: 12_000,
        perturb: { probability: 0.1, seed },
      });
      expect(
        describeFailures(outcomes),
        `3 pairs each ping-pong ${rounds} messages (capacities 1, 1, 0); a hang is a lost wakeup`,
      ).toBe('');
      expect(
        outcomes.map((o) => valueFrom<{ outOfOrder?: string }>(o).outOfOrder ?? ''),
        'messages out of order',
      ).toEqual(['', '', '', '', '', '']);
      expect(
        mailboxes.map((m) => m.size),
        'sizes once every pair is done',
      ).toEqual([0, 0, 0, 0, 0, 0]);
      for (const m of mailboxes) invariantsHold(m);
    }),
  );

  test(
    'gives up a timed send and a timed receive in about their time, changing nothing',
    { timeout: 40_000 },
    seeded(ID, async () => {
      const { segment, mailbox, shared } = setUp('timed', 1);
      let start = performance.now();
      expect(mailbox.receive(250), 'receive(250) on an empty mailbox').toBeUndefined();
      let waited = performance.now() - start;
      expect(
        [waited >= 240, waited < 3000],
        `receive(250) returned after ${waited.toFixed(0)} ms`,
      ).toEqual([true, true]);
      expect(mailbox.send(messageFor(1, 1, MAX))).toBe(true);
      start = performance.now();
      expect(mailbox.send(messageFor(1, 2, MAX), 250), 'send(…, 250) into a full mailbox').toBe(
        false,
      );
      waited = performance.now() - start;
      expect(
        [waited >= 240, waited < 3000],
        `send(…, 250) returned after ${waited.toFixed(0)} ms`,
      ).toEqual([true, true]);
      const rendezvous = Mailbox.init(segment, SECOND_OFFSET, {
        capacity: 0,
        maxMessageBytes: MAX,
      });
      start = performance.now();
      expect(
        rendezvous.send(messageFor(1, 3, MAX), 250),
        'send(…, 250) into a capacity-0 mailbox nobody receives from',
      ).toBe(false);
      waited = performance.now() - start;
      expect(
        [waited >= 240, waited < 3000],
        `the rendezvous send(…, 250) returned after ${waited.toFixed(0)} ms`,
      ).toEqual([true, true]);
      expect(
        [rendezvous.size, rendezvous.tryReceive(), rendezvous.receive(0)],
        'a rendezvous send that timed out leaves no message behind',
      ).toEqual([0, undefined, undefined]);
      // Two more give up, in another thread and another process.
      const timed = await runActors(
        [
          actor('send-worker', 'worker', 'timedCall', { ...shared, timeoutMs: 300, seq: 4 }),
          actor('send-process', 'process', 'timedCall', { ...shared, timeoutMs: 300, seq: 5 }),
        ],
        { timeoutMs: 8000 },
      );
      expect(describeFailures(timed)).toBe('');
      for (const outcome of timed) {
        const { returned, elapsedMs } = valueFrom<{ returned: boolean; elapsedMs: number }>(
          outcome,
        );
        expect(
          [returned, elapsedMs >= 290, elapsedMs < 3000],
          `${outcome.name}: send(…, 300) into a full mailbox returned false after ${elapsedMs.toFixed(0)} ms`,
        ).toEqual([false, true, true]);
      }
      expect(
        [named(mailbox.receive(0)), mailbox.receive(0)],
        'the mailbox holds what it held before the timed-out sends',
      ).toEqual(['s1:1', undefined]);
      // A message sent by another thread during the wait: the timed receive returns it then, not at its deadline.
      // Start it first: this thread's blocking receive stops the event loop that runs the actors' start barrier.
      const sender = runActors(
        [actor('sender', 'worker', 'actAfter', { ...shared, flag: FLAG, afterMs: 300, seq: 42 })],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the sender to start');
      start = performance.now();
      expect(named(mailbox.receive(8000)), 'receive(8000) while a worker sends 300 ms later').toBe(
        's9:42',
      );
      expect(performance.now() - start, 'receive(8000) returned after (ms)').toBeLessThan(4000);
      expect(describeFailures(await sender)).toBe('');
      invariantsHold(mailbox);
      invariantsHold(rendezvous);
    }),
  );

  test(
    'sendAsync and receiveAsync wait without blocking the event loop',
    { timeout: 60_000 },
    seeded(ID, async () => {
      const { segment, mailbox, shared } = setUp('async', 1);
      const holdMs = 1500; // well past EVENT_LOOP_GAP_LIMIT_MS: blocking through it shows
      const afterDelay = async <T>(
        offset: number,
        seq: number | undefined,
        what: () => Promise<T>,
      ) => {
        segment.store(FLAG, 0);
        const other = runActors(
          [
            actor('other', 'worker', 'actAfter', {
              ...shared,
              mailboxOffset: offset,
              flag: FLAG,
              afterMs: holdMs,
              seq,
            }),
          ],
          { timeoutMs: 10_000 },
        );
        await until(segment, FLAG, 'the worker to start');
        // The host answers pings on its event loop; if the call blocks its thread
        // anywhere (in the call itself or after an await), a gap spans the wait.
        const watched = await whileHostAwaits(what());
        const [outcome] = await other;
        expect(describeFailures([outcome])).toBe('');
        return { ...watched, other: outcome.value };
      };
      const received = await afterDelay(MAILBOX_OFFSET, 7, async () =>
        named(await mailbox.receiveAsync(8000)),
      );
      expect(
        received.value,
        `receiveAsync resolves with the message a worker sends ${holdMs} ms later`,
      ).toBe('s9:7');
      expect(
        received.longestGapMs,
        "longest gap between answers of the submission's event loop while receiveAsync waited (ms)",
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      expect(
        received.answers,
        'pings the event loop answered while receiveAsync was pending',
      ).toBeGreaterThan(10);
      expect(mailbox.send(messageFor(1, 8, MAX))).toBe(true);
      const sent = await afterDelay(MAILBOX_OFFSET, undefined, () =>
        mailbox.sendAsync(messageFor(1, 9, MAX), 8000),
      );
      expect(
        [sent.value, sent.other],
        `sendAsync into a full mailbox resolves true once a worker receives ${holdMs} ms later`,
      ).toEqual([true, { received: 's1:8' }]);
      expect(
        sent.longestGapMs,
        "longest gap between answers of the submission's event loop while sendAsync waited (ms)",
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      Mailbox.init(segment, SECOND_OFFSET, { capacity: 0, maxMessageBytes: MAX });
      const rendezvous = new Mailbox(segment, SECOND_OFFSET);
      const handed = await afterDelay(SECOND_OFFSET, undefined, () =>
        rendezvous.sendAsync(messageFor(1, 10, MAX), 8000),
      );
      expect(
        [handed.value, handed.other],
        `sendAsync into a capacity-0 mailbox resolves true once a worker receives ${holdMs} ms later`,
      ).toEqual([true, { received: 's1:10' }]);
      expect(
        handed.longestGapMs,
        "longest gap between answers of the submission's event loop while the rendezvous sendAsync waited (ms)",
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      expect(
        await mailbox.sendAsync(messageFor(1, 11, MAX), 100),
        'sendAsync(…, 100) into a full mailbox',
      ).toBe(false);
      expect(
        [named(await mailbox.receiveAsync(100)), await mailbox.receiveAsync(100)],
        'receiveAsync(100) twice',
      ).toEqual(['s1:9', undefined]);
      invariantsHold(mailbox);
    }),
  );

  test(
    'sleeps in the futex while blocked, as a receiver, a sender and a rendezvous sender (no CPU burnt)',
    { timeout: 60_000 },
    seeded(ID, async () => {
      const { segment, mailbox: empty, shared } = setUp('cpu', 1);
      const full = Mailbox.init(segment, SECOND_OFFSET, { capacity: 1, maxMessageBytes: MAX });
      const rendezvous = Mailbox.init(segment, THIRD_OFFSET, { capacity: 0, maxMessageBytes: MAX });
      expect(full.send(messageFor(1, 1, MAX))).toBe(true);
      const waiters = watchActors(
        [
          actor('receiver', 'worker', 'blockedCall', { ...shared, flag: FLAG }),
          actor('sender', 'worker', 'blockedCall', {
            ...shared,
            mailboxOffset: SECOND_OFFSET,
            flag: FLAG,
            seq: 2,
          }),
          actor('rendezvous sender', 'worker', 'blockedCall', {
            ...shared,
            mailboxOffset: THIRD_OFFSET,
            flag: FLAG,
            seq: 3,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the receiver and the senders to block', 3, 40_000);
      const burnt = await cpuWhileBlocked(
        waiters,
        ['receiver', 'sender', 'rendezvous sender'],
        1000,
      );
      expect(
        [
          empty.send(messageFor(1, 5, MAX)),
          named(full.receive(0)),
          named(rendezvous.receive(2000)),
        ],
        'unblock them',
      ).toEqual([true, 's1:1', 's9:3']);
      const outcomes = await waiters.outcomes;
      expect(describeFailures(outcomes)).toBe('');
      for (const outcome of outcomes) {
        const { wallMs } = valueFrom<{ wallMs: number }>(outcome);
        expect(wallMs, `time the ${outcome.name} was blocked (ms)`).toBeGreaterThan(800);
        expectLittleCpu(burnt[outcome.name], `the ${outcome.name}`);
      }
      expect(
        outcomes.map((o) => valueFrom<{ returned: unknown }>(o).returned),
        'the receiver got its message, the senders sent theirs',
      ).toEqual(['s1:5', true, true]);
      expect([named(full.receive(0)), empty.size, rendezvous.size]).toEqual(['s9:2', 0, 0]);
    }),
  );

  test(
    'delivers each message once, whole, per sender in order, within capacity, and wakes every receiver at close, under controlled schedules (capacity 0 and 1)',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      /** The check for A sending `a` messages and B `b`: each received once, whole, in its sender's order. */
      const checkFor = (capacity: number, a: number, b: number) => (outcomes: ActorResult[]) => {
        const problems = outcomes.slice(0, 2).flatMap((o) => o.value as string[]);
        if (problems.length) return `capacity ${capacity}: ${problems.join('; ')}`;
        const lists = outcomes.slice(2).map((o) => o.value as string[]);
        const expected = [
          ...Array.from({ length: a }, (_, seq) => `1:${seq}`),
          ...Array.from({ length: b }, (_, seq) => `2:${seq}`),
        ];
        if ([...lists.flat()].sort().join() !== expected.join())
          return `capacity ${capacity}: the receivers got [${lists.map((l) => l.join(', ')).join('] and [')}]; expected ${expected.join(', ')}, each once and whole`;
        const backwards = lists.find(
          (l) => l.indexOf('1:1') >= 0 && l.indexOf('1:0') > l.indexOf('1:1'),
        );
        return backwards
          ? `capacity ${capacity}: a receiver got [${backwards.join(', ')}]: 1:1 before 1:0 from the same sender`
          : null;
      };
      for (const capacity of [0, 1]) {
        const options = { capacity, maxMessageBytes: 8 };
        const args = { implementation, mailboxOffset: 64, capacity, closeAfter: 0 };
        await underControl({
          exerciseId: ID,
          seed: seed + capacity,
          runs: 100,
          scenarios: new URL('./controlled.ts', import.meta.url),
          segmentBytes: 64 + Mailbox.byteLength(options),
          init: (segment) => void Mailbox.init(segment, 64, options),
          actors: [
            {
              name: 'A',
              kind: 'worker',
              scenario: 'sendTagged',
              args: { ...args, tag: 1, count: 2, closeAfter: 2 },
            },
            {
              name: 'B',
              kind: 'process',
              scenario: 'sendTagged',
              args: { ...args, tag: 2, count: 1 },
            },
            { name: 'R1', kind: 'worker', scenario: 'receiveAll', args },
            {
              name: 'R2',
              kind: 'worker',
              scenario: 'receiveAll',
              args: { ...args, startAfter: 2 },
            },
          ],
          check: checkFor(capacity, 2, 1),
          // A failure is shown in the smallest of these that fails too: far fewer rows.
          smaller: (
            [
              [1, 0],
              [1, 1],
              [2, 0],
            ] as const
          ).map(([a, b]) => ({
            label: `A sends ${a}, B sends ${b} instead of 2 and 1`,
            args: [
              { ...args, tag: 1, count: a, closeAfter: 2 },
              { ...args, tag: 2, count: b },
              args,
              { ...args, startAfter: 2 },
            ],
            check: checkFor(capacity, a, b),
          })),
        });
      }
    }),
  );
});
