// What the priority-mailbox suite's actors run, in worker threads and child
// processes. Each scenario imports the submission's PriorityMailbox by URL
// (actors cannot see the suite's @submission alias) and attaches to the
// suite's segment by name.
//
// Messages check themselves: bytes 0-3 hold the message's id (little endian),
// byte 4 its priority, and every later byte a pattern of the id; the length is
// a function of the id too. A receiver that gets a message whose bytes do not
// all agree has read a torn (half-written, or overwritten) message.
import { setTimeout as sleep } from 'node:timers/promises';
import { Segment, seededRandom } from '@ipc-course/shim';
import { HistoryRecorder } from '../../harness/history.ts';
import type {
  PriorityQueueInput,
  PriorityQueueOutput,
} from '../../harness/models/priority-queue.ts';

export interface Received {
  message: Uint8Array;
  priority: number;
}
interface MailboxLike {
  send(message: Uint8Array, priority: number, timeoutMs?: number): boolean;
  receive(timeoutMs?: number): Received | undefined;
  trySend(message: Uint8Array, priority: number): boolean;
  tryReceive(): Received | undefined;
  sendAsync(message: Uint8Array, priority: number, timeoutMs?: number): Promise<boolean>;
  receiveAsync(timeoutMs?: number): Promise<Received | undefined>;
}
type MailboxClass = new (segment: Segment, byteOffset: number) => MailboxLike & { close(): void };

export interface Shared {
  implementation: string;
  segment: string;
  mailboxOffset: number;
}

async function attach({ implementation, segment, mailboxOffset }: Shared) {
  const { PriorityMailbox } = (await import(implementation)) as { PriorityMailbox: MailboxClass };
  const opened = Segment.open(segment);
  return { mailbox: new PriorityMailbox(opened, mailboxOffset), segment: opened };
}

/** The self-checking message with this id and priority, 5..maxBytes bytes long. */
export function encodeMessage(id: number, priority: number, maxBytes: number): Uint8Array {
  const bytes = new Uint8Array(5 + (id % (maxBytes - 4)));
  new DataView(bytes.buffer).setUint32(0, id, true);
  bytes[4] = priority;
  for (let k = 5; k < bytes.length; k++) bytes[k] = (id * 31 + k * 7) & 255;
  return bytes;
}

/** The id of a received message; throws, describing it, if the message is torn or its priority is not the one sent. */
export function decodeMessage(received: Received, maxBytes: number): number {
  const { message, priority } = received;
  const id =
    message.length >= 5 ? new DataView(message.buffer, message.byteOffset).getUint32(0, true) : -1;
  const expected = id >= 0 ? encodeMessage(id, priority, maxBytes) : undefined;
  const intact =
    expected !== undefined &&
    expected.length === message.length &&
    expected.every((b, k) => b === message[k]);
  if (!intact) {
    throw new Error(
      `received a torn message: ${message.length} bytes [${[...message.slice(0, 12)].join(',')}${message.length > 12 ? ',…' : ''}] with priority ${priority}; message ${id} was sent as ${expected?.length ?? '?'} bytes with priority ${message[4] ?? '?'}`,
    );
  }
  return id;
}

/**
 * Runs a receiver's loop; if it fails (a torn message, say), closes the mailbox first,
 * so that senders stop at once with ECLOSED instead of waiting out their timeouts.
 */
async function stoppingOthersOnError<T>(
  mailbox: MailboxLike & { close(): void },
  loop: () => Promise<T>,
): Promise<T> {
  try {
    return await loop();
  } catch (error) {
    try {
      mailbox.close();
    } catch {
      // the error that matters is the receiver's
    }
    throw error;
  }
}

/** A sender's send that found the mailbox closed: a receiver failed (see its error) and closed it. */
function stopped(error: unknown): never {
  if ((error as { code?: unknown }).code === 'ECLOSED')
    throw new Error('stopped: a receiver failed and closed the mailbox');
  throw error;
}

function expectMessage(received: Received | undefined, what: string): Received {
  if (received === undefined)
    throw new Error(
      `${what} returned undefined while the mailbox was open and messages were still to come`,
    );
  return received;
}

interface SenderArgs extends Shared {
  clientId: string;
  first: number;
  count: number;
  priorities: number;
  maxBytes: number;
  seed: number;
}

/** Priorities a sender uses, from its seed: a run of the same priority now and then, so FIFO within a priority is exercised. */
function priorityStream({ seed, first, priorities }: SenderArgs): () => number {
  const random = seededRandom(seed ^ first);
  let current = 0;
  return () => (random() < 0.6 ? (current = Math.floor(random() * priorities)) : current);
}

/**
 * Sender of the linearizability test: sends `count` messages with ids first, first + 1, ...;
 * every fourth a trySend (retried with send if full), every third a sendAsync. Returns the recorded operations.
 */
export async function recordedSender(args: SenderArgs) {
  const { mailbox } = await attach(args);
  const rec = new HistoryRecorder<PriorityQueueInput, PriorityQueueOutput>(args.clientId);
  const nextPriority = priorityStream(args);
  for (let i = 0; i < args.count; i++) {
    const [value, priority] = [args.first + i, nextPriority()];
    const message = encodeMessage(value, priority, args.maxBytes);
    try {
      if (
        i % 4 === 1 &&
        rec.record({ op: 'trySend', value, priority }, () => mailbox.trySend(message, priority))
      )
        continue;
      let sent: boolean;
      if (i % 3 === 2)
        sent = await rec.recordAsync({ op: 'send', value, priority }, () =>
          mailbox.sendAsync(message, priority, 20_000),
        );
      else
        sent = rec.record({ op: 'send', value, priority }, () =>
          mailbox.send(message, priority, 20_000),
        );
      if (!sent)
        throw new Error(
          `send(message ${value}, ${priority}, 20000) gave up, but receivers take messages within milliseconds`,
        );
    } catch (error) {
      stopped(error);
    }
  }
  return rec.operations;
}

/** Receiver of the linearizability test: `count` messages (tryReceive every fourth, receiveAsync every third); throws on a torn one. */
export async function recordedReceiver(
  args: Shared & { clientId: string; count: number; maxBytes: number },
) {
  const { mailbox } = await attach(args);
  const rec = new HistoryRecorder<PriorityQueueInput, PriorityQueueOutput>(args.clientId);
  const id = (received: Received | undefined) =>
    received === undefined ? null : decodeMessage(received, args.maxBytes);
  return stoppingOthersOnError(mailbox, async () => {
    for (let i = 0; i < args.count; i++) {
      if (i % 4 === 1 && rec.record({ op: 'tryReceive' }, () => id(mailbox.tryReceive())) !== null)
        continue;
      if (i % 3 === 2)
        await rec.recordAsync({ op: 'receive' }, async () =>
          id(expectMessage(await mailbox.receiveAsync(20_000), 'receiveAsync(20000)')),
        );
      else
        rec.record({ op: 'receive' }, () =>
          id(expectMessage(mailbox.receive(20_000), 'receive(20000)')),
        );
      if (i % 6 === 5) await sleep(2); // let the senders fill the mailbox, so messages of several priorities wait together
    }
    return rec.operations;
  });
}

/** Sender of the exactly-once test: `count` messages, each [id, priority]; returns what it sent, in order. */
export async function streamSender(args: SenderArgs) {
  const { mailbox } = await attach(args);
  const nextPriority = priorityStream(args);
  const sent: [number, number][] = [];
  for (let i = 0; i < args.count; i++) {
    const [id, priority] = [args.first + i, nextPriority()];
    let ok = false;
    try {
      ok = mailbox.send(encodeMessage(id, priority, args.maxBytes), priority, 20_000);
    } catch (error) {
      stopped(error);
    }
    if (!ok)
      throw new Error(
        `send(message ${id}, ${priority}, 20000) gave up, but receivers keep receiving`,
      );
    sent.push([id, priority]);
    if (i % 50 === 49) await sleep(1); // now and then let the mailbox drain, now and then fill
  }
  return sent;
}

/** Receiver of the exactly-once test: `count` messages; returns the ids in the order received. */
export async function streamReceiver(args: Shared & { count: number; maxBytes: number }) {
  const { mailbox } = await attach(args);
  const ids: number[] = [];
  return stoppingOthersOnError(mailbox, async () => {
    for (let i = 0; i < args.count; i++) {
      ids.push(
        decodeMessage(expectMessage(mailbox.receive(20_000), 'receive(20000)'), args.maxBytes),
      );
      if (i % 64 === 0) await sleep(2); // let the senders fill the mailbox up, so priorities compete
    }
    return ids;
  });
}

/** Sends ids 0 .. rounds-1 in order, each with priority id % priorities. */
export async function relayOut(
  args: Shared & { rounds: number; priorities: number; maxBytes: number },
) {
  const { mailbox } = await attach(args);
  for (let i = 0; i < args.rounds; i++) {
    let sent = false;
    try {
      sent = mailbox.send(
        encodeMessage(i, i % args.priorities, args.maxBytes),
        i % args.priorities,
      );
    } catch (error) {
      stopped(error);
    }
    if (!sent) throw new Error(`send(message ${i}) with no timeout returned false`);
  }
  return { rounds: args.rounds };
}

/** Receives `rounds` messages; reports the first one out of order. */
export async function relayIn(args: Shared & { rounds: number; maxBytes: number }) {
  const { mailbox } = await attach(args);
  return stoppingOthersOnError(mailbox, async () => {
    for (let i = 0; i < args.rounds; i++) {
      const id = decodeMessage(expectMessage(mailbox.receive(), 'receive()'), args.maxBytes);
      if (id !== i)
        throw new Error(
          `receive number ${i} returned message ${id}: a 1-slot mailbox leaves no choice of order`,
        );
    }
    return { rounds: args.rounds };
  });
}

/** Raises `flag`, then blocks in receive() (or send() when `priority` is given); reports what happened and how long it took. */
export async function blockedCall(args: Shared & { flag: number; priority?: number }) {
  const { mailbox, segment } = await attach(args);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const wallStart = performance.now();
  let result: { returned?: unknown; code?: string };
  try {
    const message = new Uint8Array([args.priority ?? 0]);
    const returned =
      args.priority === undefined ? mailbox.receive() : mailbox.send(message, args.priority);
    result = {
      returned:
        returned === undefined
          ? null
          : typeof returned === 'boolean'
            ? returned
            : { bytes: [...returned.message], priority: returned.priority },
    };
  } catch (error) {
    result = { code: String((error as { code?: unknown }).code ?? (error as Error).message) };
  }
  return { ...result, wallMs: performance.now() - wallStart, endedAt: Date.now() };
}

/**
 * Bytes as they are, sent and received in this thread, where a view and a
 * reused buffer are real: a 0-byte message and a 16-byte view into a 40-byte
 * buffer go in; the sender then reuses its buffer, and the receiver scribbles
 * on what it got before it receives the next message.
 */
export async function viewsAndCopies(args: Shared) {
  const { mailbox } = await attach(args);
  const backing = Uint8Array.from({ length: 40 }, (_, i) => i);
  const view = backing.subarray(10, 26);
  const sent = [mailbox.send(new Uint8Array(0), 7), mailbox.send(view, 31)];
  view.fill(0); // what was sent must not change
  const full = mailbox.receive(0);
  const fullAsReceived = { priority: full?.priority, message: [...(full?.message ?? [])] };
  full?.message.fill(99); // the mailbox must not care
  const empty = mailbox.receive(0);
  return {
    sent,
    full: fullAsReceived,
    empty: {
      priority: empty?.priority,
      length: empty?.message.length,
      isBytes: empty?.message instanceof Uint8Array,
    },
  };
}

/** Raises `flag`, sleeps `afterMs`, then sends [value] with `priority` (or receives one when priority is undefined). */
export async function actAfter(
  args: Shared & { flag: number; afterMs: number; priority?: number; value?: number },
) {
  const { mailbox, segment } = await attach(args);
  segment.store(args.flag, 1);
  segment.notify(args.flag);
  await sleep(args.afterMs);
  if (args.priority === undefined) {
    const received = mailbox.receive(5000);
    return {
      received: received ? { bytes: [...received.message], priority: received.priority } : null,
    };
  }
  return { sent: mailbox.send(new Uint8Array([args.value ?? 0]), args.priority, 5000) };
}

/**
 * A timed receive on an empty mailbox, or a timed send (priority given) on a
 * full one; without `timeoutMs`, the call without one (args cross as JSON,
 * where Infinity does not survive).
 */
export async function timedCall(args: Shared & { timeoutMs?: number; priority?: number }) {
  const { mailbox } = await attach(args);
  const start = performance.now();
  const returned =
    args.priority === undefined
      ? mailbox.receive(args.timeoutMs)
      : mailbox.send(new Uint8Array([9]), args.priority, args.timeoutMs);
  return {
    returned:
      returned === undefined ? null : typeof returned === 'boolean' ? returned : 'a message',
    elapsedMs: performance.now() - start,
  };
}
