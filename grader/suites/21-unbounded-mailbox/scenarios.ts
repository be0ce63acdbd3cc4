// What the unbounded mailbox suite's actors run, in worker threads and child
// processes. Each scenario imports the submission by URL (actors cannot see the
// suite's @submission alias) and attaches to the suite's segment by name.
// Message `seq` of sender `sender` has a length and every byte fixed by the two,
// so a receiver names what it got ("s1:17") or, if it is not exactly one message, "torn:...".
import { Segment } from '@ipc-course/shim';

interface MailboxLike {
  send(message: Uint8Array): void;
  receive(timeoutMs?: number): Uint8Array | undefined;
  tryReceive(): Uint8Array | undefined;
  receiveAsync(timeoutMs?: number): Promise<Uint8Array | undefined>;
}
type MailboxClass = new (segment: Segment, byteOffset: number) => MailboxLike;

export interface Shared {
  implementation: string;
  segment: string;
  mailboxOffset: number;
  maxMessageBytes: number;
}

async function attach({ implementation, segment, mailboxOffset }: Shared) {
  const { UnboundedMailbox } = (await import(implementation)) as { UnboundedMailbox: MailboxClass };
  const opened = Segment.open(segment);
  return { mailbox: new UnboundedMailbox(opened, mailboxOffset), segment: opened };
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

/** Sends `count` messages of `sender`, in order, as fast as it can; then counts itself in `doneCell`. */
export async function sender(args: Shared & { sender: number; count: number; doneCell?: number }) {
  const { mailbox, segment } = await attach(args);
  for (let seq = 0; seq < args.count; seq++) {
    mailbox.send(messageFor(args.sender, seq, args.maxMessageBytes));
    if (seq % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
  if (args.doneCell !== undefined) {
    segment.add(args.doneCell, 1);
    segment.notify(args.doneCell);
  }
  segment.close();
  return args.count;
}

/** Receives until the mailbox is closed and drained (receiveAsync every third call); returns what it got, by name. */
export async function receiver(args: Shared & { timeoutMs: number }) {
  const { mailbox } = await attach(args);
  const got: string[] = [];
  for (let i = 0; ; i++) {
    const bytes =
      i % 3 === 2 ? await mailbox.receiveAsync(args.timeoutMs) : mailbox.receive(args.timeoutMs);
    if (bytes === undefined) return got;
    got.push(identify(bytes, args.maxMessageBytes) ?? 'undefined');
  }
}

/** Raises `flag`, then blocks in receive(); reports what it got, and the wall time it took. */
export async function blockedReceive(args: Shared & { flag: number }) {
  const { mailbox, segment } = await attach(args);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const wallStart = performance.now();
  const returned = identify(mailbox.receive(), args.maxMessageBytes) ?? null;
  return {
    returned,
    wallMs: performance.now() - wallStart,
    endedAt: Date.now(),
  };
}

/** Raises `flag`, waits `afterMs`, then sends message `seq` of sender 9. */
export async function sendAfter(args: Shared & { flag: number; afterMs: number; seq: number }) {
  const { mailbox, segment } = await attach(args);
  segment.store(args.flag, 1);
  segment.notify(args.flag);
  await new Promise((resolve) => setTimeout(resolve, args.afterMs));
  mailbox.send(messageFor(9, args.seq, args.maxMessageBytes));
  return true;
}
