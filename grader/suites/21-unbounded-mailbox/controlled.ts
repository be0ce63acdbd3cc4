// Actors of the unbounded mailbox suite's controlled test (see harness/schedule/).
// Chunks of 2 messages, so a few sends and receives cross chunk boundaries: a
// chunk is created, named in the header, opened by another actor, given back.
// Cell DONE (beside the mailbox) counts senders that finished and receivers that got their share;
// the close comes only once all four are done, so it cannot hide a lost wakeup.
import { Segment } from '@ipc-course/shim';

interface MailboxLike {
  send(message: Uint8Array): void;
  receive(timeoutMs?: number): Uint8Array | undefined;
  tryReceive(): Uint8Array | undefined;
  close(): void;
}
type MailboxClass = new (segment: Segment, byteOffset: number) => MailboxLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  mailboxOffset: number;
  tag: number;
  count: number;
  closeAfter: number;
  /** receiveAll: tryReceive() first for each message, receive() only if it found none. */
  tryFirst?: boolean;
  /** A smaller version's idle actor: it does nothing. */
  idle?: boolean;
}
const DONE = 0;

async function attach(args: ControlledArgs): Promise<{ mailbox: MailboxLike; segment: Segment }> {
  const { UnboundedMailbox } = (await import(args.implementation)) as {
    UnboundedMailbox: MailboxClass;
  };
  const segment = Segment.open(args.segment);
  return { mailbox: new UnboundedMailbox(segment, args.mailboxOffset), segment };
}

/** Sends `count` messages [tag, seq, tag + seq]; then, if closeAfter > 0, waits until that many actors are done and closes. */
export async function sendTagged(args: ControlledArgs): Promise<string[]> {
  if (args.idle) return [];
  const { mailbox, segment } = await attach(args);
  try {
    const problems: string[] = [];
    for (let seq = 0; seq < args.count; seq++) {
      try {
        mailbox.send(Uint8Array.of(args.tag, seq, args.tag + seq));
      } catch (error) {
        problems.push(
          `send of ${args.tag}:${seq} threw ${String((error as { code?: unknown }).code ?? error)}`,
        );
      }
    }
    segment.add(DONE, 1);
    segment.notify(DONE);
    if (args.closeAfter > 0) {
      for (let done = segment.load(DONE); done < args.closeAfter; done = segment.load(DONE))
        segment.wait(DONE, done);
      mailbox.close();
    }
    return problems;
  } finally {
    segment.close();
  }
}

/**
 * Receives exactly `count` messages (no close comes before: a lost wakeup is a deadlock), counts
 * itself in DONE, waits until closeAfter actors are, then receives once more: close must end it with undefined. Returns "tag:seq"
 * for each message ("torn" if its bytes disagree), and what went wrong.
 */
export async function receiveAll(args: ControlledArgs): Promise<string[]> {
  if (args.idle) return [];
  const { mailbox, segment } = await attach(args);
  try {
    const got: string[] = [];
    for (let i = 0; i <= args.count; i++) {
      if (i === args.count) {
        // every message is taken once all four are done: this receive only waits for close
        segment.add(DONE, 1);
        segment.notify(DONE);
        for (let done = segment.load(DONE); done < args.closeAfter; done = segment.load(DONE))
          segment.wait(DONE, done);
      }
      let m: Uint8Array | undefined;
      try {
        m =
          (args.tryFirst && i < args.count ? mailbox.tryReceive() : undefined) ?? mailbox.receive();
      } catch (error) {
        got.push(`receive threw ${String((error as { code?: unknown }).code ?? error)}`);
        return got;
      }
      if (m === undefined)
        return i === args.count
          ? got
          : [...got, `receive returned undefined before close, after ${i} messages`];
      got.push(
        m.length === 3 && m[2] === m[0] + m[1] ? `${m[0]}:${m[1]}` : `torn(${[...m].join(',')})`,
      );
    }
    return got; // a message after all 5 were received: the check reports it
  } finally {
    segment.close();
  }
}
