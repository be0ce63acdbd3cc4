// Hidden suite: the priority mailbox (exercise 19-priority-mailbox), a POSIX
// message queue in shared memory. Names read as the contract; points per test
// are in points.json. Every race check carries its seed; a history that is not
// linearizable is printed as a timeline. The kernel's own message queue is the
// oracle for the exact order on one thread.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type * as PriorityMailboxModule from '@submission/19-priority-mailbox/priority-mailbox.ts';
import { MessageQueue, getpid, seededRandom, type Segment } from '@ipc-course/shim';
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
import {
  priorityQueueModel,
  type PriorityQueueInput,
  type PriorityQueueOutput,
} from '../../harness/models/priority-queue.ts';
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
import { encodeMessage, type Received, type Shared } from './scenarios.ts';

const ID = '19-priority-mailbox';
const scenarios = new URL('./scenarios.ts', import.meta.url);
const implementation = submissionModule(ID, 'priority-mailbox.ts');
// The submission runs in an untrusted object host; this process gets data back.
const { PriorityMailbox } = remoteModule<typeof PriorityMailboxModule>(ID, 'priority-mailbox.ts');
type PriorityMailbox = PriorityMailboxModule.PriorityMailbox;

// Layout of the test segment: the mailbox at byte 64 (not 0, to catch offset
// mistakes), the suite's own cells from cell 8 (bytes 32-63), a second mailbox at 4096.
const MAILBOX_OFFSET = 64;
const FLAG = 8;
const SECOND_OFFSET = 4096;

type Options = { capacity: number; maxMessageBytes: number; priorities?: number };
function setUp(
  label: string,
  options: Options,
): { segment: Segment; mailbox: PriorityMailbox; shared: Shared } {
  const segment = scratchSegment(8192, label);
  const mailbox = PriorityMailbox.init(segment, MAILBOX_OFFSET, options);
  return {
    segment,
    mailbox,
    shared: { implementation, segment: segment.name, mailboxOffset: MAILBOX_OFFSET },
  };
}

const text = (s: string) => new TextEncoder().encode(s);
/** A received message as a line to compare: "priority 5: b". */
const shown = (received: Received | undefined) =>
  received === undefined
    ? 'undefined'
    : `priority ${received.priority}: ${new TextDecoder().decode(received.message)}`;
const actor = actorsOf(scenarios);
const valueFrom = <T>(outcome: ActorOutcome) => outcome.value as T;

describe('PriorityMailbox (hidden)', () => {
  test(
    'follows the contract on one thread: byteLength, init, send, receive, trySend, tryReceive, size',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, mailbox, shared } = setUp('contract', { capacity: 3, maxMessageBytes: 16 });
      const bytes = PriorityMailbox.byteLength({ capacity: 3, maxMessageBytes: 16 });
      expect(
        Number.isInteger(bytes) && bytes >= 48 && bytes % 4 === 0 && bytes <= 1024,
        `PriorityMailbox.byteLength({ capacity: 3, maxMessageBytes: 16 }) = ${bytes}`,
      ).toBe(true);
      expect(
        PriorityMailbox.byteLength({ capacity: 30, maxMessageBytes: 16 }),
        'byteLength grows with the capacity',
      ).toBeGreaterThanOrEqual(bytes + 27 * 16);
      expect(
        PriorityMailbox.byteLength({ capacity: 3, maxMessageBytes: 160 }),
        'byteLength grows with maxMessageBytes',
      ).toBeGreaterThanOrEqual(bytes + 3 * 144);
      expect(
        [mailbox.capacity, mailbox.maxMessageBytes, mailbox.priorities, mailbox.size],
        'capacity, maxMessageBytes, priorities (default 32) and size after init',
      ).toEqual([3, 16, 32, 0]);
      invariantsHold(mailbox);
      expect(
        [
          mailbox.send(text('a'), 0),
          mailbox.send(text('b'), 5),
          mailbox.trySend(text('c'), 0),
          mailbox.trySend(text('d'), 31),
          mailbox.send(text('e'), 1, 0),
        ],
        'send, send, trySend into 3 slots, then trySend and send(…, 0) into a full mailbox',
      ).toEqual([true, true, true, false, false]);
      const attached = new PriorityMailbox(segment, MAILBOX_OFFSET);
      expect(
        [attached.capacity, attached.maxMessageBytes, attached.priorities, attached.size],
        'a second instance on the same bytes',
      ).toEqual([3, 16, 32, 3]);
      expect(
        [
          attached.receive(),
          mailbox.tryReceive(),
          mailbox.receive(0),
          mailbox.tryReceive(),
          mailbox.receive(0),
        ].map(shown),
        'receives: the highest priority first, FIFO within one, then empty',
      ).toEqual(['priority 5: b', 'priority 0: a', 'priority 0: c', 'undefined', 'undefined']);
      // Bytes as they are: empty, full size, a view into a larger buffer, and copies
      // both ways. Checked by an actor: views and buffers that cross to the
      // submission's process arrive as fresh copies, so only code running in a
      // process of its own can hand the mailbox a view or reuse a buffer.
      const [bytesAsTheyAre] = await runActors(
        [actor('views', 'worker', 'viewsAndCopies', shared)],
        { timeoutMs: 10_000 },
      );
      expect(describeFailures([bytesAsTheyAre])).toBe('');
      const {
        sent: viewSends,
        full,
        empty,
      } = valueFrom<{
        sent: boolean[];
        full: { priority?: number; message: number[] };
        empty: { priority?: number; length?: number; isBytes: boolean };
      }>(bytesAsTheyAre);
      expect(viewSends, 'a 0-byte message, and a 16-byte view into a 40-byte buffer').toEqual([
        true,
        true,
      ]);
      expect(
        [full.priority, full.message],
        'the 16-byte message, as it was when sent (the sender then reused its buffer)',
      ).toEqual([31, Array.from({ length: 16 }, (_, i) => 10 + i)]);
      expect(
        [empty.priority, empty.length, empty.isBytes],
        'the 0-byte message (after the receiver scribbled on the 16-byte one)',
      ).toEqual([7, 0, true]);
      for (let round = 0; round < 12; round++) {
        const sent = [
          mailbox.send(text(`x${round}`), round % 3),
          mailbox.send(text(`y${round}`), 2),
          mailbox.send(text(`z${round}`), round % 3),
        ];
        const got = [mailbox.receive(), mailbox.receive(), mailbox.receive()].map(shown);
        const expected =
          round % 3 === 2
            ? [`priority 2: x${round}`, `priority 2: y${round}`, `priority 2: z${round}`]
            : [
                `priority 2: y${round}`,
                `priority ${round % 3}: x${round}`,
                `priority ${round % 3}: z${round}`,
              ];
        expect([sent, got], `round ${round} around the slots`).toEqual([
          [true, true, true],
          expected,
        ]);
      }
      expect(mailbox.size).toBe(0);
      invariantsHold(mailbox);
      const untouched = [
        ...segment.read(0, MAILBOX_OFFSET),
        ...segment.read(MAILBOX_OFFSET + bytes, 512),
      ];
      expect(
        untouched.every((b) => b === 0),
        'the mailbox writes only inside its own byteLength(options) bytes',
      ).toBe(true);
    }),
  );

  test(
    'receives in exactly the order a real POSIX message queue does (seeded sends and receives, one thread)',
    { timeout: 20_000 },
    seeded(ID, (seed) => {
      const random = seededRandom(seed);
      const capacity = 2 + (seed % 9); // 2..10 (Linux default msg_max); one slot never orders anything
      const maxMessageBytes = 24;
      const { mailbox } = setUp('oracle', { capacity, maxMessageBytes });
      const name = `/ipcc-${getpid()}-oracle-${seed}`;
      const queue = MessageQueue.open(name, {
        create: true,
        exclusive: true,
        maxMessages: capacity,
        messageSize: maxMessageBytes,
      });
      try {
        const steps: string[] = [];
        for (let i = 0; i < 800; i++) {
          // Mostly a few priorities, so FIFO within one matters; now and then any of 0..31.
          const priority = random() < 0.7 ? Math.floor(random() * 3) : Math.floor(random() * 32);
          if (random() < 0.55) {
            const message = encodeMessage(i, priority, maxMessageBytes);
            const [kernel, yours] = [
              queue.send(message, priority, 0),
              i % 2 ? mailbox.trySend(message, priority) : mailbox.send(message, priority, 0),
            ];
            steps.push(`send message ${i} priority ${priority}: mq ${kernel}, yours ${yours}`);
            expect(
              yours,
              `step ${i} of seeded sends and receives on capacity ${capacity}; the last steps:\n    ${steps.slice(-8).join('\n    ')}`,
            ).toBe(kernel);
          } else {
            const fromKernel = queue.receive(0);
            const yours = i % 2 ? mailbox.tryReceive() : mailbox.receive(0);
            const describe = (r: Received | { data: Uint8Array; priority: number } | undefined) =>
              r === undefined
                ? 'nothing'
                : `${'data' in r ? `[${[...r.data].join(',')}]` : `[${[...r.message].join(',')}]`} priority ${r.priority}`;
            steps.push(`receive: mq ${describe(fromKernel)}, yours ${describe(yours)}`);
            expect(
              describe(yours),
              `step ${i} of seeded sends and receives on capacity ${capacity}; the last steps:\n    ${steps.slice(-8).join('\n    ')}`,
            ).toBe(describe(fromKernel));
          }
        }
        expect(mailbox.size, 'messages left, as the kernel counts them').toBe(
          queue.attributes.currentMessages,
        );
        invariantsHold(mailbox);
      } finally {
        queue.close();
        MessageQueue.unlink(name);
      }
    }),
  );

  test(
    'throws EMSGSIZE for a message over maxMessageBytes, and EINVAL for a bad priority, option or timeout',
    { timeout: 10_000 },
    seeded(ID, async () => {
      const { segment, mailbox } = setUp('misuse', {
        capacity: 2,
        maxMessageBytes: 8,
        priorities: 4,
      });
      expect(mailbox.priorities).toBe(4);
      for (const bad of [
        { capacity: 0 },
        { capacity: 1.5 },
        { capacity: Number.NaN },
        { maxMessageBytes: 0 },
        { maxMessageBytes: 2.5 },
        { priorities: 0 },
        { priorities: 1.5 },
      ]) {
        const options = { capacity: 2, maxMessageBytes: 8, ...bad };
        expect(
          await thrownCodeAsync(() => PriorityMailbox.byteLength(options)),
          `byteLength(${JSON.stringify(options)})`,
        ).toBe('EINVAL');
        expect(
          await thrownCodeAsync(() => PriorityMailbox.init(segment, SECOND_OFFSET, options)),
          `init(…, ${JSON.stringify(options)})`,
        ).toBe('EINVAL');
      }
      const nine = new Uint8Array(9);
      expect(
        [
          await thrownCodeAsync(() => mailbox.send(nine, 0)),
          await thrownCodeAsync(() => mailbox.trySend(nine, 0)),
          await thrownCodeAsync(() => mailbox.sendAsync(nine, 0)),
        ],
        'send, trySend and sendAsync of 9 bytes, maxMessageBytes 8',
      ).toEqual(['EMSGSIZE', 'EMSGSIZE', 'EMSGSIZE']);
      for (const notBytes of ['text', [1, 2], null]) {
        expect(
          await thrownCodeAsync(() => mailbox.send(notBytes as unknown as Uint8Array, 0)),
          `send(${JSON.stringify(notBytes)}, 0): a message is a Uint8Array`,
        ).toBe('EINVAL');
      }
      for (const priority of [-1, 4, 1.5, Number.NaN]) {
        expect(
          [
            await thrownCodeAsync(() => mailbox.send(text('p'), priority)),
            await thrownCodeAsync(() => mailbox.sendAsync(text('p'), priority)),
          ],
          `send and sendAsync with priority ${priority} (priorities: 4)`,
        ).toEqual(['EINVAL', 'EINVAL']);
      }
      for (const timeoutMs of [-1, Number.NaN]) {
        const calls = [
          () => mailbox.send(text('t'), 0, timeoutMs),
          () => mailbox.receive(timeoutMs),
          () => mailbox.sendAsync(text('t'), 0, timeoutMs),
          () => mailbox.receiveAsync(timeoutMs),
        ];
        const codes = [];
        for (const call of calls) codes.push(await thrownCodeAsync(call));
        expect(codes, `send, receive, sendAsync, receiveAsync with timeoutMs ${timeoutMs}`).toEqual(
          ['EINVAL', 'EINVAL', 'EINVAL', 'EINVAL'],
        );
      }
      expect(mailbox.size, 'size after refused calls').toBe(0);
      expect(
        [mailbox.send(new Uint8Array(8).fill(3), 3), shown(mailbox.receive(0)).slice(0, 10)],
        'an 8-byte message at priority 3 still goes through',
      ).toEqual([true, 'priority 3']);
      invariantsHold(mailbox);
    }),
  );

  test(
    'delivers every message exactly once and never torn (3 senders + 3 receivers, workers and processes)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const maxBytes = 64;
      const { mailbox, shared } = setUp('exactly-once', { capacity: 4, maxMessageBytes: maxBytes });
      const count = 250 + (seed % 100);
      const sender = (s: number) => ({
        ...shared,
        clientId: `sender-${s}`,
        first: (s + 1) * 100_000,
        count,
        priorities: 32,
        maxBytes,
        seed,
      });
      const outcomes = await runActors(
        [
          actor('sender-0', 'worker', 'streamSender', sender(0)),
          actor('sender-1', 'process', 'streamSender', sender(1)),
          actor('sender-2', 'worker', 'streamSender', sender(2)),
          actor('receiver-0', 'process', 'streamReceiver', { ...shared, count, maxBytes }),
          actor('receiver-1', 'worker', 'streamReceiver', { ...shared, count, maxBytes }),
          actor('receiver-2', 'worker', 'streamReceiver', { ...shared, count, maxBytes }),
        ],
        { timeoutMs: 40_000, perturb: { probability: 0.05, seed } },
      );
      expect(
        describeFailures(outcomes),
        'every actor finishes (a torn message or a hang, which is a deadlock or a lost wakeup, fails here)',
      ).toBe('');
      const sent = outcomes.slice(0, 3).flatMap((o) => valueFrom<[number, number][]>(o));
      const priorityOf = new Map(sent);
      const received = outcomes.slice(3).map((o) => valueFrom<number[]>(o));
      const all = received.flat();
      const missing = sent.map(([id]) => id).filter((id) => !all.includes(id));
      const twice = all.filter((id, i) => all.indexOf(id) !== i);
      const strangers = all.filter((id) => !priorityOf.has(id));
      expect(
        { missing, twice, strangers },
        `${sent.length} messages sent by 3 senders, received by 3 receivers`,
      ).toEqual({ missing: [], twice: [], strangers: [] });
      // Message a, sent before b by the same sender with a priority at least b's, was in the mailbox
      // whenever b was received: one receiver that got both must have got a first.
      received.forEach((ids, r) => {
        const position = new Map(ids.map((id, i) => [id, i]));
        for (const b of ids) {
          const overtaken = ids.find(
            (a) =>
              Math.floor(a / 100_000) === Math.floor(b / 100_000) &&
              a < b &&
              priorityOf.get(a)! >= priorityOf.get(b)! &&
              position.get(a)! > position.get(b)!,
          );
          if (overtaken !== undefined) {
            expect.fail(
              `receiver-${r} got message ${b} (priority ${priorityOf.get(b)}) before message ${overtaken} (priority ${priorityOf.get(overtaken)}), which the same sender sent earlier: the older message of at least the same priority must come first`,
            );
          }
        }
      });
      expect(mailbox.size, 'size once every message is received').toBe(0);
      invariantsHold(mailbox);
    }),
  );

  test(
    'receives the oldest message of the highest priority, linearizably (3 senders + 3 receivers)',
    { timeout: 120_000 },
    seeded(ID, async (seed) => {
      const capacity = 2 + (seed % 3);
      const maxBytes = 32;
      const { mailbox, shared } = setUp('linearizable', {
        capacity,
        maxMessageBytes: maxBytes,
        priorities: 4,
      });
      const perActor = 35 + (seed % 15);
      const sender = (s: number) => ({
        ...shared,
        clientId: `sender-${s}`,
        first: (s + 1) * 1000,
        count: perActor,
        priorities: 4,
        maxBytes,
        seed,
      });
      const receiver = (r: number) => ({
        ...shared,
        clientId: `receiver-${r}`,
        count: perActor,
        maxBytes,
      });
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
        'every actor finishes (a torn message or a hang, which is a deadlock or a lost wakeup, fails here)',
      ).toBe('');
      const history = joinHistories<PriorityQueueInput, PriorityQueueOutput>(
        outcomes.map((o) => o.value),
      );
      const model = priorityQueueModel({ capacity });
      const result = checkOperations(model, history, { timeoutMs: 30_000 });
      if (result.verdict === 'unknown')
        throw new Error(
          `the linearizability checker could not decide on ${history.length} operations: ${explainVerdict(model, result)}`,
        );
      expect(
        result.verdict,
        `history of ${history.length} operations against a POSIX message queue of capacity ${capacity} (value@priority): ${explainVerdict(model, result)}`,
      ).toBe('ok');
      expect(mailbox.size, 'size once every message is received').toBe(0);
      invariantsHold(mailbox);
    }),
  );

  test(
    'close: sends throw ECLOSED, receives drain what was sent, then return undefined at once',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { mailbox, shared } = setUp('close', { capacity: 3, maxMessageBytes: 8 });
      expect([mailbox.send(text('low'), 1), mailbox.send(text('high'), 9)]).toEqual([true, true]);
      mailbox.close();
      expect(
        [
          await thrownCodeAsync(() => mailbox.send(text('x'), 0)),
          await thrownCodeAsync(() => mailbox.trySend(text('x'), 0)),
        ],
        'send and trySend after close()',
      ).toEqual(['ECLOSED', 'ECLOSED']);
      const rejected = mailbox.sendAsync(text('x'), 0);
      expect(rejected, 'sendAsync returns a Promise').toBeInstanceOf(Promise);
      expect(await thrownCodeAsync(() => rejected), 'sendAsync after close() rejects').toBe(
        'ECLOSED',
      );
      expect(mailbox.size, 'size after refused sends').toBe(2);
      expect(
        [mailbox.receive(5000), mailbox.tryReceive()].map(shown),
        'receives after close() drain what was sent, in priority order',
      ).toEqual(['priority 9: high', 'priority 1: low']);
      const start = performance.now();
      expect(
        [
          mailbox.receive(5000),
          mailbox.tryReceive(),
          await mailbox.receiveAsync(5000),
          mailbox.receive(),
        ].map(shown),
        'receive(5000), tryReceive(), receiveAsync(5000), receive() once closed and drained',
      ).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
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
        'receive() on a closed, drained mailbox returns at once, in another thread and another process too',
      ).toBe('');
      for (const outcome of outcomes) {
        const { returned, elapsedMs } = valueFrom<{ returned: unknown; elapsedMs: number }>(
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
    'close wakes every blocked sender and every blocked receiver',
    { timeout: 40_000 },
    seeded(ID, async () => {
      const {
        segment,
        mailbox: empty,
        shared,
      } = setUp('close-wakes', { capacity: 2, maxMessageBytes: 8 });
      const full = PriorityMailbox.init(segment, SECOND_OFFSET, {
        capacity: 1,
        maxMessageBytes: 8,
      });
      expect(full.send(text('kept'), 3)).toBe(true);
      const fullShared = { ...shared, mailboxOffset: SECOND_OFFSET };
      const specs = [
        actor('receiver-0', 'worker', 'blockedCall', { ...shared, flag: FLAG }),
        actor('receiver-1', 'worker', 'blockedCall', { ...shared, flag: FLAG }),
        actor('receiver-2', 'process', 'blockedCall', { ...shared, flag: FLAG }),
        actor('sender-0', 'worker', 'blockedCall', { ...fullShared, flag: FLAG, priority: 31 }),
        actor('sender-1', 'worker', 'blockedCall', { ...fullShared, flag: FLAG, priority: 0 }),
        actor('sender-2', 'process', 'blockedCall', { ...fullShared, flag: FLAG, priority: 7 }),
      ];
      const running = runActors(specs, { timeoutMs: 6000 });
      await until(segment, FLAG, 'the receivers and senders to block', specs.length);
      await sleep(300); // they are asleep now
      const closedAt = Date.now();
      empty.close();
      full.close();
      const outcomes = await running;
      expect(
        describeFailures(outcomes),
        'every blocked caller wakes when its mailbox closes (a hang is a caller close() did not wake)',
      ).toBe('');
      const seen = outcomes.map((o) => {
        const { returned, code } = valueFrom<{ returned?: unknown; code?: string }>(o);
        return `${o.name}: ${code ?? `returned ${JSON.stringify(returned)}`}`;
      });
      expect(seen, 'what each blocked call did once close() came').toEqual([
        'receiver-0: returned null',
        'receiver-1: returned null',
        'receiver-2: returned null',
        'sender-0: ECLOSED',
        'sender-1: ECLOSED',
        'sender-2: ECLOSED',
      ]);
      const slowest = Math.max(
        ...outcomes.map((o) => valueFrom<{ endedAt: number }>(o).endedAt - closedAt),
      );
      expect(slowest, 'the last woken caller returned this long after close() (ms)').toBeLessThan(
        5000,
      );
      expect(
        [full.receive(0), full.receive(0)].map(shown),
        'the full mailbox still drains its message',
      ).toEqual(['priority 3: kept', 'undefined']);
      invariantsHold(empty);
      invariantsHold(full);
    }),
  );

  test(
    'passes messages through a 1-slot mailbox without losing a wakeup (workers + processes)',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const { segment, shared } = setUp('relay', { capacity: 1, maxMessageBytes: 16 });
      const rounds = 400 + (seed % 200);
      const pairs: ['worker' | 'process', 'worker' | 'process'][] = [
        ['worker', 'process'],
        ['process', 'worker'],
        ['process', 'process'],
      ];
      const mailboxes: PriorityMailbox[] = [];
      const specs: ActorSpec[] = [];
      pairs.forEach(([outKind, inKind], pair) => {
        const mailboxOffset = SECOND_OFFSET + pair * 512;
        mailboxes.push(
          PriorityMailbox.init(segment, mailboxOffset, { capacity: 1, maxMessageBytes: 16 }),
        );
        specs.push(
          actor(`sender-${pair}`, outKind, 'relayOut', {
            ...shared,
            mailboxOffset,
            rounds,
            priorities: 32,
            maxBytes: 16,
          }),
        );
        specs.push(
          actor(`receiver-${pair}`, inKind, 'relayIn', {
            ...shared,
            mailboxOffset,
            rounds,
            maxBytes: 16,
          }),
        );
      });
      const outcomes = await runActors(specs, {
        timeoutMs: 25_000,
        perturb: { probability: 0.1, seed },
      });
      expect(
        describeFailures(outcomes),
        `3 senders each send ${rounds} messages through a 1-slot mailbox to a receiver; a hang is a lost wakeup`,
      ).toBe('');
      expect(
        mailboxes.map((m) => m.size),
        'sizes once every relay is done',
      ).toEqual([0, 0, 0]);
      for (const m of mailboxes) invariantsHold(m);
    }),
  );

  test(
    'gives up a timed send and a timed receive in about their time, changing nothing',
    { timeout: 40_000 },
    seeded(ID, async () => {
      const { segment, mailbox, shared } = setUp('timed', { capacity: 2, maxMessageBytes: 8 });
      const full = PriorityMailbox.init(segment, SECOND_OFFSET, {
        capacity: 1,
        maxMessageBytes: 8,
      });
      expect(full.send(text('in'), 0)).toBe(true);
      // In other threads and processes first: a call that ignores its timeout hangs an actor, not this test's thread.
      const fullShared = { ...shared, mailboxOffset: SECOND_OFFSET };
      const timed = await runActors(
        [
          actor('receive-worker', 'worker', 'timedCall', { ...shared, timeoutMs: 300 }),
          actor('receive-process', 'process', 'timedCall', { ...shared, timeoutMs: 300 }),
          actor('send-worker', 'worker', 'timedCall', {
            ...fullShared,
            timeoutMs: 300,
            priority: 31,
          }),
          actor('send-process', 'process', 'timedCall', {
            ...fullShared,
            timeoutMs: 300,
            priority: 5,
          }),
        ],
        { timeoutMs: 5000 },
      );
      expect(
        describeFailures(timed),
        'receive(300) on an empty mailbox and send(…, 300) on a full one return (a hang is a timeout ignored)',
      ).toBe('');
      for (const outcome of timed) {
        const { returned, elapsedMs } = valueFrom<{ returned: unknown; elapsedMs: number }>(
          outcome,
        );
        const gaveUp = outcome.name.startsWith('send') ? false : null;
        expect(
          [returned, elapsedMs >= 290, elapsedMs < 3000],
          `${outcome.name}: gave up (${String(gaveUp)}) after ${elapsedMs.toFixed(0)} ms`,
        ).toEqual([gaveUp, true, true]);
      }
      expect(
        [full.size, shown(full.receive(0)), mailbox.size],
        'the full mailbox kept its one message; the empty one stayed empty',
      ).toEqual([1, 'priority 0: in', 0]);
      let start = performance.now();
      expect(mailbox.receive(250), 'receive(250) on an empty mailbox').toBeUndefined();
      let waited = performance.now() - start;
      expect(
        [waited >= 240, waited < 3000],
        `receive(250) returned after ${waited.toFixed(0)} ms`,
      ).toEqual([true, true]);
      expect([mailbox.send(text('one'), 0), mailbox.send(text('two'), 0)]).toEqual([true, true]);
      start = performance.now();
      expect(
        mailbox.send(text('three'), 31, 250),
        'send(…, 31, 250) into a full mailbox: a high priority makes no room',
      ).toBe(false);
      waited = performance.now() - start;
      expect(
        [waited >= 240, waited < 3000],
        `send(…, 250) returned after ${waited.toFixed(0)} ms`,
      ).toEqual([true, true]);
      expect(
        [mailbox.receive(0), mailbox.receive(0), mailbox.receive(0)].map(shown),
        'the mailbox holds what it held before the timed-out send',
      ).toEqual(['priority 0: one', 'priority 0: two', 'undefined']);
      invariantsHold(mailbox);
      // A message sent by another thread during the wait: the timed receive returns it then, not at its deadline.
      // Start it first: this thread's blocking receive stops the event loop that runs the actors' start barrier.
      const sender = runActors(
        [
          actor('sender', 'worker', 'actAfter', {
            ...shared,
            flag: FLAG,
            afterMs: 300,
            priority: 4,
            value: 42,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the sender to start');
      start = performance.now();
      const got = mailbox.receive(8000);
      expect(
        [got?.priority, [...(got?.message ?? [])]],
        'receive(8000) while a worker sends [42] at priority 4, 300 ms later',
      ).toEqual([4, [42]]);
      expect(performance.now() - start, 'receive(8000) returned after (ms)').toBeLessThan(4000);
      expect(describeFailures(await sender)).toBe('');
      invariantsHold(mailbox);
    }),
  );

  test(
    'sendAsync and receiveAsync wait without blocking the event loop',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, mailbox, shared } = setUp('async', { capacity: 1, maxMessageBytes: 8 });
      const holdMs = 1500; // well past EVENT_LOOP_GAP_LIMIT_MS: blocking through it shows
      const sender = runActors(
        [
          actor('sender', 'worker', 'actAfter', {
            ...shared,
            flag: FLAG,
            afterMs: holdMs,
            priority: 2,
            value: 7,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the sender to start');
      // The host answers pings on its event loop; if the call blocks its thread
      // anywhere (in the call itself or after an await), a gap spans the wait.
      const received = await whileHostAwaits(mailbox.receiveAsync(8000));
      expect(
        [received.value?.priority, [...(received.value?.message ?? [])]],
        `receiveAsync resolves with the message a worker sends ${holdMs} ms later`,
      ).toEqual([2, [7]]);
      expect(
        received.longestGapMs,
        "longest gap between answers of the submission's event loop while receiveAsync waited (ms)",
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      expect(
        received.answers,
        'pings the event loop answered while receiveAsync was pending',
      ).toBeGreaterThan(10);
      expect(describeFailures(await sender)).toBe('');
      expect(mailbox.send(new Uint8Array([8]), 0)).toBe(true);
      segment.store(FLAG, 0);
      const receiver = runActors(
        [actor('receiver', 'worker', 'actAfter', { ...shared, flag: FLAG, afterMs: holdMs })],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the receiver to start');
      const sent = await whileHostAwaits(mailbox.sendAsync(new Uint8Array([9]), 30, 8000));
      expect(
        sent.value,
        `sendAsync into a full mailbox resolves true once a worker receives ${holdMs} ms later`,
      ).toBe(true);
      expect(
        sent.longestGapMs,
        "longest gap between answers of the submission's event loop while sendAsync waited (ms)",
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      const [outcome] = await receiver;
      expect(describeFailures([outcome])).toBe('');
      expect(
        valueFrom<{ received: { bytes: number[]; priority: number } }>(outcome).received,
        'the worker received the message that was in',
      ).toEqual({ bytes: [8], priority: 0 });
      expect(
        await mailbox.sendAsync(new Uint8Array([10]), 0, 100),
        'sendAsync(…, 100) into a full mailbox',
      ).toBe(false);
      expect(
        [await mailbox.receiveAsync(100), await mailbox.receiveAsync(100)].map(
          (r) => r && [r.priority, ...r.message],
        ),
        'receiveAsync(100) twice',
      ).toEqual([[30, 9], undefined]);
      invariantsHold(mailbox);
    }),
  );

  test(
    'sleeps in the futex while blocked, as a sender and as a receiver (no CPU burnt)',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, mailbox: empty, shared } = setUp('cpu', { capacity: 1, maxMessageBytes: 8 });
      const full = PriorityMailbox.init(segment, SECOND_OFFSET, {
        capacity: 1,
        maxMessageBytes: 8,
      });
      expect(full.send(new Uint8Array([1]), 0)).toBe(true);
      const waiters = watchActors(
        [
          actor('receiver', 'worker', 'blockedCall', { ...shared, flag: FLAG }),
          actor('sender', 'worker', 'blockedCall', {
            ...shared,
            mailboxOffset: SECOND_OFFSET,
            flag: FLAG,
            priority: 3,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the receiver and the sender to block', 2);
      const burnt = await cpuWhileBlocked(waiters, ['receiver', 'sender'], 1000);
      expect(
        [empty.send(new Uint8Array([5]), 6), shown(full.receive()).slice(0, 10)],
        'unblock them',
      ).toEqual([true, 'priority 0']);
      const outcomes = await waiters.outcomes;
      expect(describeFailures(outcomes)).toBe('');
      for (const outcome of outcomes) {
        const { wallMs } = valueFrom<{ wallMs: number }>(outcome);
        expect(wallMs, `time the ${outcome.name} was blocked (ms)`).toBeGreaterThan(800);
        expectLittleCpu(burnt[outcome.name], `the ${outcome.name}`);
      }
      expect(
        outcomes.map((o) => valueFrom<{ returned: unknown }>(o).returned),
        'the receiver got [5] at priority 6, the sender sent',
      ).toEqual([{ bytes: [5], priority: 6 }, true]);
      expect([full.receive(0)?.priority, empty.size]).toEqual([3, 0]);
    }),
  );

  test(
    'delivers the highest priority first, each message once and whole, under controlled schedules',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      // Tag 1 sends twice at priority 3, tag 2 once at priority 7: a receive that begins after
      // tag 2's send returned must get it (unless already taken), and tag 1's come in order.
      const options = { capacity: 2, maxMessageBytes: 8 };
      const args = { implementation, mailboxOffset: 64, sent: 0 };
      /** The check for `low` sends at priority 3 and `high` at 7, all received by R. */
      const checkFor = (low: number, high: number) => (outcomes: ActorResult[]) => {
        const log = outcomes[2].value as Array<{ got: string; sentBefore: number[] }>;
        const got = log.map((e) => e.got);
        const expected = [
          ...Array.from({ length: low }, (_, seq) => `1:${seq}`),
          ...Array.from({ length: high }, (_, seq) => `2:${seq}`),
        ];
        if ([...got].sort().join() !== expected.join())
          return `the receiver got [${got.join(', ')}]; expected ${expected.join(', ')}, each once and whole`;
        if (got.includes('1:1') && got.indexOf('1:0') > got.indexOf('1:1'))
          return `the receiver got [${got.join(', ')}]: 1:1 before 1:0, at the same priority`;
        const late = log.findIndex(
          (e, i) => e.sentBefore[1] === 1 && !got.slice(0, i).includes('2:0') && e.got !== '2:0',
        );
        return late < 0
          ? null
          : `receive ${late + 1} began after the priority-7 message was sent, but returned ${got[late]} (priority 3) first: [${got.join(', ')}]`;
      };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 200,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 64 + PriorityMailbox.byteLength(options),
        init: (segment) => void PriorityMailbox.init(segment, 64, options),
        actors: [
          {
            name: 'low',
            kind: 'worker',
            scenario: 'sendAtPriority',
            args: { ...args, tag: 1, priority: 3, count: 2 },
          },
          {
            name: 'high',
            kind: 'process',
            scenario: 'sendAtPriority',
            args: { ...args, tag: 2, priority: 7, count: 1 },
          },
          { name: 'R', kind: 'worker', scenario: 'receiveNoting', args: { ...args, count: 3 } },
        ],
        check: checkFor(2, 1),
        // A failure is shown in the smallest of these that fails too: far fewer rows.
        smaller: (
          [
            [1, 0],
            [0, 1],
            [1, 1],
            [2, 0],
          ] as const
        ).map(([low, high]) => ({
          label: `low sends ${low}, high sends ${high}, R receives ${low + high}, instead of 2, 1 and 3`,
          args: [
            { ...args, tag: 1, priority: 3, count: low },
            { ...args, tag: 2, priority: 7, count: high },
            { ...args, count: low + high },
          ],
          check: checkFor(low, high),
        })),
      });
    }),
  );
});
