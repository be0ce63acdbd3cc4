// What the ports suite's actors run, in worker threads and child processes. A port
// belongs to a process, so owners run as processes; senders may be workers (they
// send from the test process's pid). Each scenario imports the submission by URL.
import { setTimeout as sleep } from 'node:timers/promises';
import { Segment, getpid } from '@ipc-course/shim';
import { HistoryRecorder } from '../../harness/history.ts';
import type { QueueInput, QueueOutput } from '../../harness/models/queue.ts';

interface Received {
  from: number;
  message: Uint8Array;
}
interface PortLike {
  receive(options?: { from?: number; timeoutMs?: number }): Received | undefined;
  tryReceive(options?: { from?: number }): Received | undefined;
  receiveAsync(options?: { from?: number; timeoutMs?: number }): Promise<Received | undefined>;
  close(): void;
}
interface RegistryLike {
  open(): PortLike;
  send(pid: number, message: Uint8Array, timeoutMs?: number): boolean;
  trySend(pid: number, message: Uint8Array): boolean;
}
type RegistryClass = new (segment: Segment, byteOffset: number) => RegistryLike;

export interface Shared {
  implementation: string;
  segment: string;
  registryOffset: number;
}

async function attach({ implementation, segment, registryOffset }: Shared) {
  const { PortRegistry } = (await import(implementation)) as { PortRegistry: RegistryClass };
  const opened = Segment.open(segment);
  return { registry: new PortRegistry(opened, registryOffset), segment: opened };
}

const codeOf = (error: unknown) =>
  String((error as { code?: unknown }).code ?? (error as Error).message);

/** Message number `i` of client `index`: [index, i low, i high, pattern...], 3..maxBytes long. */
export function messageFor(index: number, i: number, maxBytes: number): Uint8Array {
  const bytes = new Uint8Array(3 + ((i * 13 + index * 5) % (maxBytes - 2)));
  bytes[0] = index;
  bytes[1] = i & 255;
  bytes[2] = i >> 8;
  for (let j = 3; j < bytes.length; j++) bytes[j] = (index * 31 + i * 7 + j * 3) & 255;
  return bytes;
}

/** Waits (sleeping) until `cell` is not 0, and returns it. */
function awaitCell(segment: Segment, cell: number, what: string): number {
  const deadline = performance.now() + 15_000;
  for (let value = segment.load(cell); ; value = segment.load(cell)) {
    if (value !== 0) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    segment.wait(cell, 0, 100);
  }
}

function raise(segment: Segment, cell: number, value = 1): void {
  segment.store(cell, value);
  segment.notify(cell);
}

/** Client `index`: publishes its pid, then sends `count` messages to the server's port; every fourth a trySend. */
export async function client(
  args: Shared & {
    index: number;
    count: number;
    maxBytes: number;
    serverCell: number;
    pidsCell: number;
  },
) {
  const { registry, segment } = await attach(args);
  raise(segment, args.pidsCell + args.index, getpid());
  const server = awaitCell(segment, args.serverCell, 'the server to open its port');
  const rec = new HistoryRecorder<QueueInput, QueueOutput>(`client-${args.index}`);
  for (let i = 0; i < args.count; i++) {
    const value = `${args.index}:${i}`;
    const message = messageFor(args.index, i, args.maxBytes);
    if (i % 4 === 1 && rec.record({ op: 'put', value }, () => registry.trySend(server, message)))
      continue;
    if (!rec.record({ op: 'put', value }, () => registry.send(server, message, 20_000)))
      throw new Error(
        `send(${server}, message ${value}, 20000) gave up while the server was receiving`,
      );
  }
  return rec.operations.filter((o) => o.output === true); // a refused trySend changed nothing
}

/**
 * The server: opens a port, publishes its pid, then receives every client's messages:
 * mostly from anyone (every fifth with receiveAsync), every third first tries one chosen
 * client (symmetric; only tryReceive: a blocking receive from one client can wait forever
 * while the port is full of the others' messages). Checks each message's bytes and sender.
 */
export async function server(
  args: Shared & {
    clients: number;
    count: number;
    maxBytes: number;
    serverCell: number;
    pidsCell: number;
    seed: number;
  },
) {
  const { registry, segment } = await attach(args);
  const port = registry.open();
  raise(segment, args.serverCell, getpid());
  const pids = Array.from({ length: args.clients }, (_, c) =>
    awaitCell(segment, args.pidsCell + c, `client ${c} to start`),
  );
  const rec = new HistoryRecorder<QueueInput, QueueOutput>('server');
  const problems: string[] = [];
  const check = (received: Received, from: number | undefined): string => {
    const [index, low, high] = received.message;
    const expected = messageFor(index, low + (high << 8), args.maxBytes);
    if (index >= args.clients || received.message.join() !== expected.join())
      problems.push(
        `torn or foreign message from ${received.from}: [${received.message.join(',')}]`,
      );
    else if (received.from !== pids[index])
      problems.push(
        `message ${index}:${low + (high << 8)} came back with from=${received.from}, sent by ${pids[index]}`,
      );
    else if (from !== undefined && received.from !== from)
      problems.push(`receive({ from: ${from} }) returned a message from ${received.from}`);
    return `${index}:${low + (high << 8)}`;
  };
  for (let k = 0; k < args.clients * args.count; ) {
    if (k % 3 === 1) {
      const from = pids[(k * 7 + args.seed) % args.clients];
      let value = '';
      rec.record({ op: 'tryTake' }, () => {
        const received = port.tryReceive({ from });
        return (value = received ? check(received, from) : '') || null;
      });
      if (value !== '') {
        k++;
        continue;
      }
      rec.operations.pop(); // an empty tryReceive from one sender says nothing about the queue of another
    }
    const asynchronous = k % 5 === 2;
    await rec.recordAsync({ op: 'take' }, async () => {
      const received = asynchronous
        ? await port.receiveAsync({ timeoutMs: 20_000 })
        : port.receive({ timeoutMs: 20_000 });
      if (!received)
        throw new Error(
          'receive({ timeoutMs: 20000 }) returned undefined while messages were still coming',
        );
      return check(received, undefined);
    });
    k++;
  }
  const leftOver = port.tryReceive();
  port.close();
  return {
    operations: rec.operations,
    problems: problems.slice(0, 5),
    leftOver: leftOver ? `[${leftOver.message.join(',')}]` : null,
  };
}

/** Opens a port, publishes its pid in `pidCell`, then waits to be killed (or `lingerMs`). */
export async function owner(args: Shared & { pidCell: number; lingerMs: number }) {
  const { registry, segment } = await attach(args);
  registry.open();
  raise(segment, args.pidCell, getpid());
  await sleep(args.lingerMs);
  return { pid: getpid() };
}

/** Sends to the pid in `targetCell` until its port is full, raises `flag`, then blocks in send(); returns its own pid too. */
export async function blockedSender(args: Shared & { targetCell: number; flag: number }) {
  const { registry, segment } = await attach(args);
  const target = awaitCell(segment, args.targetCell, 'the port owner');
  let queued = 0;
  while (registry.trySend(target, new Uint8Array([queued])))
    if (++queued > 1000) throw new Error('trySend never reported the port full');
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const wallStart = performance.now();
  let result: { returned?: boolean; code?: string };
  try {
    result = { returned: registry.send(target, new Uint8Array([99])) };
  } catch (error) {
    result = { code: codeOf(error) };
  }
  return {
    ...result,
    queued,
    wallMs: performance.now() - wallStart,
    endedAt: Date.now(),
    pid: getpid(),
  };
}

/** Opens a port, publishes its pid in `pidCell`, and blocks in receive() until a message comes. */
export async function blockedReceiver(args: Shared & { pidCell: number }) {
  const { registry, segment } = await attach(args);
  const port = registry.open();
  raise(segment, args.pidCell, getpid());
  const wallStart = performance.now();
  const received = port.receive();
  port.close();
  return {
    message: received ? [...received.message] : null,
    wallMs: performance.now() - wallStart,
  };
}

/** Sends `messages` (byte arrays) in order to the pid in `targetCell`, or to `target`. */
export async function sendAll(
  args: Shared & {
    target?: number;
    targetCell?: number;
    messages: number[][];
    afterMs?: number;
    flag?: number;
  },
) {
  const { registry, segment } = await attach(args);
  const target = args.target ?? awaitCell(segment, args.targetCell!, 'the port owner');
  if (args.flag !== undefined) raise(segment, args.flag);
  if (args.afterMs) await sleep(args.afterMs);
  for (const message of args.messages)
    if (!registry.send(target, new Uint8Array(message), 5000))
      throw new Error(`send(${target}, [${message.join(',')}], 5000) gave up`);
  return { pid: getpid() };
}

/** open() in this process: what it threw, if anything. */
export async function tryOpen(args: Shared) {
  const { registry } = await attach(args);
  try {
    registry.open().close();
    return { code: null };
  } catch (error) {
    return { code: codeOf(error) };
  }
}
