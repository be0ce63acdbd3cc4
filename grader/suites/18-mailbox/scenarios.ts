// What the mailbox suite's actors run, in worker threads and child processes.
// Each scenario imports the submission's Mailbox by URL (actors cannot see the
// suite's @submission alias) and attaches to the suite's segment by name.
//
// Messages carry their own proof of integrity: message `seq` of sender `sender`
// has a length and every byte fixed by (sender, seq), so a receiver names what
// it got ("s1:17") or, if the bytes are not exactly one message, "torn:...".
import { setTimeout as sleep } from 'node:timers/promises';
import { Segment } from '@ipc-course/shim';
import { HistoryRecorder, monotonicNow } from '../../harness/history.ts';
import { seededRandom } from '@ipc-course/shim';
import type { QueueInput, QueueOutput } from '../../harness/models/queue.ts';

interface MailboxLike {
  send(message: Uint8Array, timeoutMs?: number): boolean;
  receive(timeoutMs?: number): Uint8Array | undefined;
  trySend(message: Uint8Array): boolean;
  tryReceive(): Uint8Array | undefined;
  sendAsync(message: Uint8Array, timeoutMs?: number): Promise<boolean>;
  receiveAsync(timeoutMs?: number): Promise<Uint8Array | undefined>;
  readonly size: number;
}
type MailboxClass = new (segment: Segment, byteOffset: number) => MailboxLike;

export interface Shared {
  implementation: string;
  segment: string;
  mailboxOffset: number;
  maxMessageBytes: number;
}

async function attach({ implementation, segment, mailboxOffset }: Shared) {
  const { Mailbox } = (await import(implementation)) as { Mailbox: MailboxClass };
  const opened = Segment.open(segment);
  return { mailbox: new Mailbox(opened, mailboxOffset), segment: opened };
}

/** Message `seq` (0..65535) of `sender` (0..255): 3 to maxMessageBytes bytes, all fixed by the two. */
export function messageFor(sender: number, seq: number, maxMessageBytes: number): Uint8Array {
  const length = 3 + ((sender * 37 + seq * 11) % (maxMessageBytes - 2));
  const bytes = new Uint8Array(length);
  bytes[0] = sender;
  bytes[1] = seq & 0xff;
  bytes[2] = seq >> 8;
  for (let i = 3; i < length; i++) bytes[i] = (sender * 131 + seq * 7 + i * 13 + 1) & 0xff;
  return bytes;
}

/** "s<sender>:<seq>" if `bytes` is exactly that message, else "torn:<length>:<first bytes>". */
export function identify(
  bytes: Uint8Array | undefined,
  maxMessageBytes: number,
): string | undefined {
  if (bytes === undefined) return undefined;
  if (bytes instanceof Uint8Array && bytes.length >= 3) {
    const [sender, lo, hi] = bytes;
    const expected = messageFor(sender, lo | (hi << 8), maxMessageBytes);
    if (expected.length === bytes.length && expected.every((b, i) => b === bytes[i]))
      return `s${sender}:${lo | (hi << 8)}`;
  }
  return `torn:${(bytes as Uint8Array)?.length}:${Array.from((bytes as Uint8Array)?.slice?.(0, 6) ?? []).join(',')}`;
}

/** A receive that the test expects to get a message: undefined here is a bug, not a timeout. */
function expectMessage(id: string | undefined, what: string): string {
  if (id === undefined)
    throw new Error(
      `${what} returned undefined while the mailbox was open and messages were still to come`,
    );
  return id;
}

/** Sender of the linearizability test: sends its `count` messages in order (trySend every fourth, sendAsync every third). */
export async function recordedSender(
  args: Shared & { clientId: string; sender: number; count: number },
) {
  const { mailbox } = await attach(args);
  const rec = new HistoryRecorder<QueueInput, QueueOutput>(args.clientId);
  for (let seq = 0; seq < args.count; seq++) {
    const message = messageFor(args.sender, seq, args.maxMessageBytes);
    const value = `s${args.sender}:${seq}`;
    if (seq % 4 === 1 && rec.record({ op: 'tryPut', value }, () => mailbox.trySend(message)))
      continue;
    let sent: boolean;
    if (seq % 3 === 2)
      sent = await rec.recordAsync({ op: 'put', value }, () => mailbox.sendAsync(message, 20_000));
    else sent = rec.record({ op: 'put', value }, () => mailbox.send(message, 20_000));
    if (!sent)
      throw new Error(
        `send(${value}, 20000) gave up, but receivers take messages within milliseconds`,
      );
  }
  return rec.operations;
}

/** Receiver of the linearizability test: receives `count` messages (tryReceive every fourth, receiveAsync every third), recorded by name. */
export async function recordedReceiver(args: Shared & { clientId: string; count: number }) {
  const { mailbox } = await attach(args);
  const rec = new HistoryRecorder<QueueInput, QueueOutput>(args.clientId);
  const name = (bytes: Uint8Array | undefined) => identify(bytes, args.maxMessageBytes);
  for (let i = 0; i < args.count; i++) {
    if (
      i % 4 === 1 &&
      rec.record({ op: 'tryTake' }, () => name(mailbox.tryReceive())) !== undefined
    )
      continue;
    if (i % 3 === 2)
      expectMessage(
        await rec.recordAsync({ op: 'take' }, async () => name(await mailbox.receiveAsync(20_000))),
        'receiveAsync(20000)',
      );
    else
      expectMessage(
        rec.record({ op: 'take' }, () => name(mailbox.receive(20_000))),
        'receive(20000)',
      );
  }
  return rec.operations;
}

/**
 * Capacity check, as in the bounded buffer's suite: a sender counts its returned sends in
 * `sendsDone`, a receiver its calls in `receivesCalled` before each call, so
 * sendsDone - receivesCalled (sendsDone read first) is a lower bound of what the mailbox holds.
 */
export async function capacitySender(
  args: Shared & {
    sender: number;
    count: number;
    capacity: number;
    sendsDone: number;
    receivesCalled: number;
  },
) {
  const { mailbox, segment } = await attach(args);
  let most = 0;
  let badSizes = 0;
  for (let seq = 0; seq < args.count; seq++) {
    if (!mailbox.send(messageFor(args.sender, seq, args.maxMessageBytes), 20_000))
      throw new Error(`send(…, 20000) gave up, but receivers keep receiving`);
    const done = segment.add(args.sendsDone, 1) + 1;
    most = Math.max(most, done - segment.load(args.receivesCalled));
    const size = mailbox.size;
    if (!(size >= 0 && size <= args.capacity)) badSizes++;
  }
  return { most, badSizes };
}

export async function capacityReceiver(
  args: Shared & { count: number; capacity: number; receivesCalled: number },
) {
  const { mailbox, segment } = await attach(args);
  let badSizes = 0;
  const torn: string[] = [];
  for (let i = 0; i < args.count; i++) {
    segment.add(args.receivesCalled, 1);
    const id = expectMessage(
      identify(mailbox.receive(20_000), args.maxMessageBytes),
      'receive(20000)',
    );
    if (id.startsWith('torn')) torn.push(id);
    const size = mailbox.size;
    if (!(size >= 0 && size <= args.capacity)) badSizes++;
    if (i % 64 === 0) await sleep(1); // let the senders fill the mailbox up
  }
  return { badSizes, torn };
}

/** Rendezvous sender: sends its messages one by one and records when each send was called and returned. */
export async function rendezvousSender(args: Shared & { sender: number; count: number }) {
  const { mailbox } = await attach(args);
  const sends: { id: string; call: number; returned: number }[] = [];
  for (let seq = 0; seq < args.count; seq++) {
    const call = monotonicNow();
    if (!mailbox.send(messageFor(args.sender, seq, args.maxMessageBytes), 10_000))
      throw new Error(`send(…, 10000) with capacity 0 gave up, but a receiver comes every few ms`);
    sends.push({ id: `s${args.sender}:${seq}`, call, returned: monotonicNow() });
  }
  return sends;
}

/** Rendezvous receiver: pauses 0-12 ms (seeded) before each receive, and records when it called each. */
export async function rendezvousReceiver(args: Shared & { count: number; seed: number }) {
  const { mailbox } = await attach(args);
  const random = seededRandom(args.seed);
  const receives: { id: string; call: number; returned: number }[] = [];
  for (let i = 0; i < args.count; i++) {
    await sleep(Math.floor(random() * 13));
    const call = monotonicNow();
    const id = expectMessage(
      identify(mailbox.receive(10_000), args.maxMessageBytes),
      'receive(10000)',
    );
    receives.push({ id, call, returned: monotonicNow() });
  }
  return receives;
}

/** One side of a ping-pong over two mailboxes: the pinger sends i and waits for i back; the ponger echoes. */
export async function pingPong(
  args: Shared & { replyOffset: number; rounds: number; role: 'ping' | 'pong' },
) {
  const { mailbox: there, segment } = await attach(args);
  const { mailbox: back } = await attach({ ...args, mailboxOffset: args.replyOffset });
  const [out, inbox] = args.role === 'ping' ? [there, back] : [back, there];
  for (let i = 0; i < args.rounds; i++) {
    if (args.role === 'ping' && !out.send(messageFor(1, i, args.maxMessageBytes)))
      throw new Error(`send(${i}) with no timeout returned false`);
    const got = expectMessage(identify(inbox.receive(), args.maxMessageBytes), 'receive()');
    if (got !== `s1:${i}`) return { outOfOrder: `round ${i} received ${got}` };
    if (args.role === 'pong' && !out.send(messageFor(1, i, args.maxMessageBytes)))
      throw new Error(`send(${i}) with no timeout returned false`);
  }
  segment.close();
  return { outOfOrder: '' };
}

/** Raises `flag`, then blocks in receive() (or send(message `seq`) when given); reports what happened and how long it took. */
export async function blockedCall(args: Shared & { flag: number; seq?: number }) {
  const { mailbox, segment } = await attach(args);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const wallStart = performance.now();
  let result: { returned?: string | boolean | null; code?: string };
  try {
    const returned =
      args.seq === undefined
        ? identify(mailbox.receive(), args.maxMessageBytes)
        : mailbox.send(messageFor(9, args.seq, args.maxMessageBytes));
    result = { returned: returned ?? null };
  } catch (error) {
    result = { code: String((error as { code?: unknown }).code ?? (error as Error).message) };
  }
  return { ...result, wallMs: performance.now() - wallStart, endedAt: Date.now() };
}

/** Raises `flag`, sleeps `afterMs`, then sends message `seq` (or receives one when seq is undefined). */
export async function actAfter(args: Shared & { flag: number; afterMs: number; seq?: number }) {
  const { mailbox, segment } = await attach(args);
  segment.store(args.flag, 1);
  segment.notify(args.flag);
  await sleep(args.afterMs);
  if (args.seq === undefined)
    return { received: identify(mailbox.receive(5000), args.maxMessageBytes) ?? null };
  return { sent: mailbox.send(messageFor(9, args.seq, args.maxMessageBytes), 5000) };
}

/**
 * A timed receive on an empty mailbox, or a timed send (of message `seq`) on a
 * full one; without `timeoutMs`, the call without one (args cross as JSON,
 * where Infinity does not survive).
 */
export async function timedCall(args: Shared & { timeoutMs?: number; seq?: number }) {
  const { mailbox } = await attach(args);
  const start = performance.now();
  const returned =
    args.seq === undefined
      ? identify(mailbox.receive(args.timeoutMs), args.maxMessageBytes)
      : mailbox.send(messageFor(9, args.seq, args.maxMessageBytes), args.timeoutMs);
  return { returned: returned ?? null, elapsedMs: performance.now() - start };
}
