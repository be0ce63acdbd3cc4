// Hidden suite: ports (exercise 20-ports). Names read as the contract; points per
// test are in points.json. A port belongs to a process, so owners run as child
// processes (or are the submission's object host, where this file's calls run);
// race checks carry their seed.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type * as PortsModule from '@submission/20-ports/ports.ts';
import type { Segment } from '@ipc-course/shim';
import {
  describeFailures,
  runActors,
  watchActors,
  type ActorOutcome,
} from '../../harness/actors.ts';
import { cpuWhileBlocked, expectLittleCpu } from '../../harness/blocked-cpu.ts';
import { joinHistories } from '../../harness/history.ts';
import { checkOperations } from '../../harness/linearizability.ts';
import { queueModel, type QueueInput, type QueueOutput } from '../../harness/models/queue.ts';
import { seeded } from '../../harness/seed.ts';
import { scratchSegment } from '../../harness/segments.ts';
import { submissionModule } from '../../harness/submission.ts';
import { explainVerdict } from '../../harness/timeline.ts';
import { hostPid, remoteModule } from '../../harness/realm/remote.ts';
import {
  actorsOf,
  EVENT_LOOP_GAP_LIMIT_MS,
  invariantsHold,
  until,
  whileHostAwaits,
  thrownCodeAsync,
} from '../../harness/suite-kit.ts';
import { underControl, type ActorResult } from '../../harness/schedule/under-control.ts';
import type { Shared } from './scenarios.ts';

const ID = '20-ports';
const scenarios = new URL('./scenarios.ts', import.meta.url);
const implementation = submissionModule(ID, 'ports.ts');
// The submission runs in an untrusted object host; this process gets data back.
const { PortRegistry } = remoteModule<typeof PortsModule>(ID, 'ports.ts');
type PortRegistry = PortsModule.PortRegistry;
const actor = actorsOf(scenarios);
const valueFrom = <T>(outcome: ActorOutcome) => outcome.value as T;

// The suite's own cells sit in bytes 0-255; the registry starts at byte 256.
const REGISTRY_OFFSET = 256;
const FLAG = 1;
const SERVER = 2;
const OWNER_PID = 3;
const CLIENT_PIDS = 8;
// A blocked sender re-checks its target at least this often (README: "detection latency").
const ENOPORT_LATENCY_MS = 100;
const bytes = (...values: number[]) => new Uint8Array(values);
const list = (received: { from: number; message: Uint8Array } | undefined) =>
  received ? `${received.from}:[${received.message.join(',')}]` : 'none';

/** The pid that owns the ports this file opens: the object host's, where open() runs. */
function hostOwnPid(): number {
  const pid = hostPid();
  if (pid === undefined) throw new Error("the submission's object host has no pid");
  return pid;
}

function setUp(
  label: string,
  options = { maxPorts: 4, capacity: 4, maxMessageBytes: 16 },
): { segment: Segment; registry: PortRegistry; shared: Shared } {
  const segment = scratchSegment(REGISTRY_OFFSET + PortRegistry.byteLength(options) + 256, label);
  const registry = PortRegistry.init(segment, REGISTRY_OFFSET, options);
  return {
    segment,
    registry,
    shared: { implementation, segment: segment.name, registryOffset: REGISTRY_OFFSET },
  };
}

describe('PortRegistry (hidden)', () => {
  test(
    'follows the contract in one process: byteLength, init, open, send, receive, tryReceive, close',
    { timeout: 10_000 },
    seeded(ID, async () => {
      const options = { maxPorts: 2, capacity: 3, maxMessageBytes: 10 };
      const size = PortRegistry.byteLength(options);
      expect(
        Number.isInteger(size) && size % 4 === 0 && size >= 3 * 2 * 10,
        `byteLength(${JSON.stringify(options)}) = ${size}`,
      ).toBe(true);
      const { segment, registry } = setUp('contract', options);
      const me = hostOwnPid();
      const port = registry.open();
      expect(
        [
          registry.trySend(me, bytes(1)),
          registry.send(me, bytes(2, 2), 0),
          registry.send(me, new Uint8Array(10).fill(3)),
          registry.trySend(me, bytes(4)),
        ],
        'three sends into 3 places, then trySend',
      ).toEqual([true, true, true, false]);
      expect(registry.send(me, bytes(5), 0), 'send(…, 0) into a full port').toBe(false);
      const again = new PortRegistry(segment, REGISTRY_OFFSET);
      expect(again.trySend(me, bytes(6)), 'a second instance on the same bytes sees it full').toBe(
        false,
      );
      expect(
        [
          list(port.receive()),
          list(port.tryReceive()),
          list(port.receive({ timeoutMs: 0 })),
          list(port.tryReceive()),
        ],
        'oldest first, each with its sender, then none',
      ).toEqual([`${me}:[1]`, `${me}:[2,2]`, `${me}:[${Array(10).fill(3).join(',')}]`, 'none']);
      expect(
        [again.send(me, new Uint8Array(0)), list(port.tryReceive())],
        'an empty message',
      ).toEqual([true, `${me}:[]`]);
      for (let round = 0; round < 10; round++) {
        expect(
          [
            registry.trySend(me, bytes(round)),
            registry.trySend(me, bytes(round + 100)),
            list(port.tryReceive()),
            list(port.tryReceive()),
          ],
          `round ${round}`,
        ).toEqual([true, true, `${me}:[${round}]`, `${me}:[${round + 100}]`]);
      }
      invariantsHold(registry);
      port.close();
      expect(
        await thrownCodeAsync(() => registry.trySend(me, bytes(1))),
        'trySend to a closed port',
      ).toBe('ENOPORT');
      expect(
        await thrownCodeAsync(() => registry.send(me + 100_000, bytes(1), 100)),
        'send to a pid that never opened a port',
      ).toBe('ENOPORT');
      expect(await thrownCodeAsync(() => port.tryReceive()), 'tryReceive on a closed port').toBe(
        'ECLOSED',
      );
      const untouched = [
        ...segment.read(0, REGISTRY_OFFSET),
        ...segment.read(REGISTRY_OFFSET + size, 256),
      ];
      expect(
        untouched.every((b) => b === 0),
        'the registry writes only inside its byteLength bytes',
      ).toBe(true);
    }),
  );

  test(
    'throws EINVAL for bad options and arguments, EMSGSIZE for an oversize message, EEXIST and ENOSPC from open',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, registry, shared } = setUp('misuse', {
        maxPorts: 1,
        capacity: 2,
        maxMessageBytes: 8,
      });
      for (const bad of [
        { maxPorts: 0, capacity: 1, maxMessageBytes: 1 },
        { maxPorts: 1, capacity: 1.5, maxMessageBytes: 1 },
        { maxPorts: 1, capacity: 1, maxMessageBytes: -1 },
      ]) {
        expect(
          await thrownCodeAsync(() => PortRegistry.byteLength(bad)),
          `byteLength(${JSON.stringify(bad)})`,
        ).toBe('EINVAL');
        expect(
          await thrownCodeAsync(() => PortRegistry.init(segment, 4096, bad)),
          `init(…, ${JSON.stringify(bad)})`,
        ).toBe('EINVAL');
      }
      const me = hostOwnPid();
      const port = registry.open();
      expect(
        await thrownCodeAsync(() => registry.open()),
        'a second open() in the same process',
      ).toBe('EEXIST');
      expect(
        await thrownCodeAsync(() => registry.trySend(me, new Uint8Array(9))),
        '9 bytes, maxMessageBytes 8',
      ).toBe('EMSGSIZE');
      expect(
        await thrownCodeAsync(() => registry.send(me, new Uint8Array(9), 0)),
        'send of 9 bytes',
      ).toBe('EMSGSIZE');
      for (const pid of [0, -1, 1.5, Number.NaN])
        expect(
          await thrownCodeAsync(() => registry.trySend(pid, bytes(1))),
          `trySend(${pid}, …)`,
        ).toBe('EINVAL');
      expect(
        await thrownCodeAsync(() => registry.trySend(me, 'text' as unknown as Uint8Array)),
        'trySend of a string',
      ).toBe('EINVAL');
      expect(
        await thrownCodeAsync(() => registry.send(me, bytes(1), -1)),
        'send with timeoutMs -1',
      ).toBe('EINVAL');
      expect(
        await thrownCodeAsync(() => port.tryReceive({ from: 0 })),
        'tryReceive({ from: 0 })',
      ).toBe('EINVAL');
      expect(
        await thrownCodeAsync(() => port.receive({ timeoutMs: -5 })),
        'receive({ timeoutMs: -5 })',
      ).toBe('EINVAL');
      expect(
        [registry.trySend(me, new Uint8Array(8)), list(port.tryReceive())],
        'still works after refused calls',
      ).toEqual([true, `${me}:[0,0,0,0,0,0,0,0]`]);
      const [other] = await runActors([actor('opener', 'process', 'tryOpen', shared)], {
        timeoutMs: 10_000,
      });
      expect(describeFailures([other])).toBe('');
      expect(
        valueFrom<{ code: unknown }>(other).code,
        'open() in another process while the only port is held by a live owner',
      ).toBe('ENOSPC');
      invariantsHold(registry);
    }),
  );

  test(
    "delivers every message exactly once, in each sender's order, never torn (3 clients, one server port)",
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const maxBytes = 24;
      const { shared } = setUp('server', {
        maxPorts: 4,
        capacity: 2 + (seed % 2),
        maxMessageBytes: maxBytes,
      });
      const count = 50 + (seed % 20);
      const common = { ...shared, count, maxBytes, serverCell: SERVER, pidsCell: CLIENT_PIDS };
      const outcomes = await runActors(
        [
          actor('server', 'worker', 'server', { ...common, clients: 3, seed }),
          actor('client-0', 'process', 'client', { ...common, index: 0 }),
          actor('client-1', 'worker', 'client', { ...common, index: 1 }), // sends from the worker host's pid, as the server's port is
          actor('client-2', 'process', 'client', { ...common, index: 2 }),
        ],
        { timeoutMs: 40_000, perturb: { probability: 0.05, seed } },
      );
      expect(
        describeFailures(outcomes),
        'every actor finishes (a hang is a lost wakeup or a lost message)',
      ).toBe('');
      const { operations, problems, leftOver } = valueFrom<{
        operations: unknown[];
        problems: string[];
        leftOver: string | null;
      }>(outcomes[0]);
      expect(
        problems,
        'messages the server received torn, from the wrong sender, or from another pid than it asked for',
      ).toEqual([]);
      expect(leftOver, 'a message still queued after all were received').toBeNull();
      const history = joinHistories<QueueInput, QueueOutput>([
        operations,
        ...outcomes.slice(1).map((o) => o.value),
      ]);
      const taken = history.filter((o) => o.clientId === 'server').map((o) => String(o.output));
      const sent = history
        .filter((o) => o.clientId !== 'server')
        .map((o) => String((o.input as { value: string }).value));
      const missing = sent.filter((v) => !taken.includes(v));
      const twice = taken.filter((v, i) => taken.indexOf(v) !== i);
      expect({ missing, twice }, `${sent.length} messages sent by 3 clients`).toEqual({
        missing: [],
        twice: [],
      });
      for (let c = 0; c < 3; c++) {
        // Per sender, sends and the receives that got its messages must behave as one FIFO queue.
        const mine = history.filter(
          (o) =>
            o.clientId === `client-${c}` ||
            (o.clientId === 'server' && String(o.output).startsWith(`${c}:`)),
        );
        const model = queueModel();
        const result = checkOperations(model, mine, { timeoutMs: 10_000 });
        expect(
          result.verdict,
          `client-${c}'s ${mine.length} sends and receives against a FIFO queue: ${explainVerdict(model, result)}`,
        ).toBe('ok');
      }
    }),
  );

  test(
    'a receive from one pid skips the messages of others and keeps them, in order',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { registry, shared } = setUp('symmetric', {
        maxPorts: 2,
        capacity: 12,
        maxMessageBytes: 4,
      });
      const me = hostOwnPid();
      const port = registry.open();
      const waiting = port.receiveAsync({ from: me, timeoutMs: 8000 }); // must not take the other processes' messages
      const senders = await runActors(
        [
          actor('sender-a', 'process', 'sendAll', {
            ...shared,
            target: me,
            messages: [[1], [2], [3]],
          }),
          actor('sender-b', 'process', 'sendAll', { ...shared, target: me, messages: [[7], [8]] }),
        ],
        { timeoutMs: 10_000 },
      );
      expect(describeFailures(senders)).toBe('');
      registry.send(me, bytes(50));
      expect(
        list(await waiting),
        'receiveAsync({ from: me }) while two other processes sent 5 messages first',
      ).toBe(`${me}:[50]`);
      registry.send(me, bytes(51));
      const [pidA, pidB] = senders.map((o) => valueFrom<{ pid: number }>(o).pid);
      expect(
        [
          list(port.receive({ from: pidB, timeoutMs: 1000 })),
          list(port.tryReceive({ from: pidB })),
          list(port.tryReceive({ from: pidB })),
        ],
        'receive({ from: B }) and tryReceive({ from: B })',
      ).toEqual([`${pidB}:[7]`, `${pidB}:[8]`, 'none']);
      expect(list(port.tryReceive({ from: me })), 'tryReceive({ from: me })').toBe(`${me}:[51]`);
      expect(
        [
          list(port.receive({ from: pidA, timeoutMs: 1000 })),
          list(port.tryReceive()),
          list(port.tryReceive()),
          list(port.tryReceive()),
        ],
        "A's messages were kept, in order",
      ).toEqual([`${pidA}:[1]`, `${pidA}:[2]`, `${pidA}:[3]`, 'none']);
      invariantsHold(registry);
    }),
  );

  test(
    'refuses sends with ENOPORT once the owner process has exited',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, registry, shared } = setUp('owner-exits', {
        maxPorts: 1,
        capacity: 2,
        maxMessageBytes: 4,
      });
      const running = runActors(
        [actor('owner', 'process', 'owner', { ...shared, pidCell: OWNER_PID, lingerMs: 20_000 })],
        { timeoutMs: 25_000 },
      );
      await until(segment, OWNER_PID, 'the owner to open its port');
      const ownerPid = segment.load(OWNER_PID);
      expect(registry.trySend(ownerPid, bytes(1)), 'trySend while the owner lives').toBe(true);
      process.kill(ownerPid, 'SIGKILL');
      const [outcome] = await running;
      expect(outcome.status, 'the owner process was killed').toBe('exited');
      const codes = [
        await thrownCodeAsync(() => registry.trySend(ownerPid, bytes(2))),
        await thrownCodeAsync(() => registry.send(ownerPid, bytes(3), 500)),
        await thrownCodeAsync(() => registry.send(ownerPid, bytes(4), 500)),
      ];
      expect(
        codes,
        'trySend, send, send to the port of a killed process (2 places, 1 used)',
      ).toEqual(['ENOPORT', 'ENOPORT', 'ENOPORT']);
      expect(
        await thrownCodeAsync(() => registry.open().close()),
        "open() with maxPorts 1 reuses the dead owner's slot",
      ).toBeNull();
    }),
  );

  test(
    'wakes a blocked sender with ENOPORT soon after the owner process exits',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, shared } = setUp('sender-wakes', {
        maxPorts: 2,
        capacity: 2,
        maxMessageBytes: 4,
      });
      const owner = runActors(
        [actor('owner', 'process', 'owner', { ...shared, pidCell: OWNER_PID, lingerMs: 20_000 })],
        { timeoutMs: 25_000 },
      );
      const sender = runActors(
        [
          actor('sender', 'worker', 'blockedSender', {
            ...shared,
            targetCell: OWNER_PID,
            flag: FLAG,
          }),
        ],
        { timeoutMs: 5000 },
      );
      await until(segment, FLAG, 'the sender to fill the port and block');
      await sleep(300);
      const killedAt = Date.now();
      process.kill(segment.load(OWNER_PID), 'SIGKILL');
      const [outcome] = await sender;
      await owner;
      expect(
        describeFailures([outcome]),
        'the blocked sender returns (a hang: it never re-checks its target)',
      ).toBe('');
      const { code, returned, queued, endedAt } = valueFrom<{
        code?: string;
        returned?: boolean;
        queued: number;
        endedAt: number;
      }>(outcome);
      expect(
        [queued, code ?? `returned ${returned}`],
        'messages queued before it blocked, and what the blocked send did',
      ).toEqual([2, 'ENOPORT']);
      expect(
        endedAt - killedAt,
        `ms from the kill to ENOPORT (promised: about ${ENOPORT_LATENCY_MS}; allowed under load: 3000)`,
      ).toBeLessThan(3000);
    }),
  );

  test(
    'a port closed and opened again starts empty; senders to the old one get ENOPORT',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, registry, shared } = setUp('reopen', {
        maxPorts: 2,
        capacity: 2,
        maxMessageBytes: 4,
      });
      const me = hostOwnPid();
      const old = registry.open();
      segment.store(OWNER_PID, me);
      const sender = runActors(
        [
          actor('sender', 'worker', 'blockedSender', {
            ...shared,
            targetCell: OWNER_PID,
            flag: FLAG,
          }),
        ],
        { timeoutMs: 8000 },
      );
      await until(segment, FLAG, 'the sender to fill the port and block');
      await sleep(200);
      const closedAt = Date.now();
      old.close();
      const [outcome] = await sender;
      expect(describeFailures([outcome])).toBe('');
      const { code, returned, endedAt } = valueFrom<{
        code?: string;
        returned?: boolean;
        endedAt: number;
      }>(outcome);
      expect(code ?? `returned ${returned}`, 'a send blocked on a port that closes').toBe(
        'ENOPORT',
      );
      expect(endedAt - closedAt, 'ms from close() to its ENOPORT').toBeLessThan(2000);
      const fresh = registry.open(); // as a new process that got the same pid would
      expect(
        list(fresh.tryReceive()),
        'the new port after close and open: the old messages must be gone',
      ).toBe('none');
      expect(
        await thrownCodeAsync(() => old.tryReceive()),
        'the old Port object after the pid opened a new port',
      ).toBe('ECLOSED');
      expect(
        [registry.trySend(me, bytes(9)), list(fresh.tryReceive()), list(fresh.tryReceive())],
        'the new port works',
      ).toEqual([true, `${me}:[9]`, 'none']);
      fresh.close();
      invariantsHold(registry);
    }),
  );

  test(
    'gives up a timed send and a timed receive in about their time, changing nothing',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { registry } = setUp('timed', { maxPorts: 1, capacity: 1, maxMessageBytes: 4 });
      const me = hostOwnPid();
      const port = registry.open();
      const timed = async (what: () => unknown) => {
        const start = performance.now();
        const result = await what();
        return [
          result === undefined ? 'none' : result,
          Math.round(performance.now() - start),
        ] as const;
      };
      const inTime = ([, ms]: readonly [unknown, number]) => ms >= 240 && ms < 3000;
      const receive = await timed(() => port.receive({ timeoutMs: 250 }));
      expect(
        [receive[0], inTime(receive)],
        `receive({ timeoutMs: 250 }) on an empty port took ${receive[1]} ms`,
      ).toEqual(['none', true]);
      const receiveAsync = await timed(() => port.receiveAsync({ timeoutMs: 250 }));
      expect(
        [receiveAsync[0], inTime(receiveAsync)],
        `receiveAsync({ timeoutMs: 250 }) took ${receiveAsync[1]} ms`,
      ).toEqual(['none', true]);
      expect(registry.send(me, bytes(1)), 'send into the one place').toBe(true);
      const send = await timed(() => registry.send(me, bytes(2), 250));
      expect([send[0], inTime(send)], `send(…, 250) into a full port took ${send[1]} ms`).toEqual([
        false,
        true,
      ]);
      const tryAgain = await timed(() => registry.trySend(me, bytes(3)));
      expect([tryAgain[0], tryAgain[1] < 1000], 'trySend into a full port: false, at once').toEqual(
        [false, true],
      );
      expect(
        [list(port.tryReceive()), list(port.tryReceive())],
        'only the first message is queued',
      ).toEqual([`${me}:[1]`, 'none']);
      invariantsHold(registry);
    }),
  );

  test(
    'receiveAsync waits without blocking the event loop',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, registry, shared } = setUp('async');
      const me = hostOwnPid();
      const port = registry.open();
      const holdMs = 1500; // well past EVENT_LOOP_GAP_LIMIT_MS: blocking through it shows
      const sender = runActors(
        [
          actor('sender', 'worker', 'sendAll', {
            ...shared,
            target: me,
            messages: [[4, 2]],
            afterMs: holdMs,
            flag: FLAG,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the sender to start');
      // The host answers pings on its event loop; if receiveAsync blocks its thread
      // anywhere (in the call itself or after an await), a gap spans the wait.
      const {
        value: received,
        longestGapMs,
        answers,
      } = await whileHostAwaits(port.receiveAsync({ timeoutMs: 8000 }));
      const [outcome] = await sender;
      expect(describeFailures([outcome])).toBe('');
      const senderPid = valueFrom<{ pid: number }>(outcome).pid; // the worker host's
      expect(
        list(received),
        `receiveAsync resolves with the message a worker sends ${holdMs} ms later`,
      ).toBe(`${senderPid}:[4,2]`);
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
    'sleeps in the futex while blocked, as a receiver and as a sender (no CPU burnt)',
    { timeout: 30_000 },
    seeded(ID, async () => {
      const { segment, registry, shared } = setUp('cpu', {
        maxPorts: 2,
        capacity: 1,
        maxMessageBytes: 4,
      });
      const me = hostOwnPid();
      const port = registry.open();
      segment.store(SERVER, me);
      const waiters = watchActors(
        [
          actor('receiver', 'process', 'blockedReceiver', { ...shared, pidCell: OWNER_PID }),
          actor('sender', 'worker', 'blockedSender', { ...shared, targetCell: SERVER, flag: FLAG }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the sender to block');
      await until(segment, OWNER_PID, 'the receiver to open its port');
      const burnt = await cpuWhileBlocked(waiters, ['receiver', 'sender'], 1000);
      const sent = registry.send(segment.load(OWNER_PID), bytes(5), 5000);
      const got = port.tryReceive();
      const outcomes = await waiters.outcomes;
      expect(describeFailures(outcomes)).toBe('');
      const senderPid = valueFrom<{ pid: number }>(outcomes[1]).pid; // the worker host's
      expect([sent, list(got)], 'unblock them').toEqual([true, `${senderPid}:[0]`]);
      for (const outcome of outcomes) {
        const { wallMs } = valueFrom<{ wallMs: number }>(outcome);
        expect(wallMs, `time the ${outcome.name} was blocked (ms)`).toBeGreaterThan(800);
        expectLittleCpu(burnt[outcome.name], `the ${outcome.name}`);
      }
      expect(
        [
          valueFrom<{ message: number[] }>(outcomes[0]).message,
          valueFrom<{ returned: boolean }>(outcomes[1]).returned,
        ],
        "the receiver got [5], the sender's send returned true",
      ).toEqual([[5], true]);
      port.close();
    }),
  );

  test(
    'delivers each message once, per sender in order, under controlled schedules (server process, 2 clients, 1-slot port)',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      const args = { implementation, registryOffset: 64, serverPid: 0, messages: 2 };
      /** The check for A sending `a` messages and B `b`: the server got each once, per sender in order. */
      const checkFor = (a: number, b: number) => (outcomes: ActorResult[]) => {
        const got = outcomes[0].value as string[];
        const from = (tag: number) => got.filter((m) => m.startsWith(`${tag}:`)).join(' ');
        const sent = (tag: number, count: number) =>
          Array.from({ length: count }, (_, seq) => `${tag}:${seq}`).join(' ');
        if (from(1) !== sent(1, a) || from(2) !== sent(2, b))
          return `the server received [${got.join(', ')}]: expected ${[sent(1, a), sent(2, b)].filter(Boolean).join(' and ')}, each once, in this order per sender`;
        return null;
      };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 120,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes:
          64 + PortRegistry.byteLength({ maxPorts: 2, capacity: 1, maxMessageBytes: 8 }),
        init: (segment) =>
          void PortRegistry.init(segment, 64, { maxPorts: 2, capacity: 1, maxMessageBytes: 8 }),
        actors: [
          { name: 'server', kind: 'process', scenario: 'serve', args: { ...args, messages: 4 } },
          { name: 'A', kind: 'worker', scenario: 'sendTo', args: { ...args, tag: 1 } },
          { name: 'B', kind: 'process', scenario: 'sendTo', args: { ...args, tag: 2 } },
        ],
        check: checkFor(2, 2),
        // A failure is shown in the smallest of these that fails too: far fewer rows.
        smaller: (
          [
            [1, 0],
            [1, 1],
            [2, 0],
            [2, 1],
          ] as const
        ).map(([a, b]) => ({
          label: `A sends ${a}, B sends ${b}, instead of 2 each`,
          args: [
            { ...args, messages: a + b },
            { ...args, tag: 1, messages: a },
            { ...args, tag: 2, messages: b },
          ],
          check: checkFor(a, b),
        })),
      });
    }),
  );
});
