// Actors of the mailbox suite's controlled test (see harness/schedule/). Cells
// the actors keep beside the mailbox: SENT (sends that returned), TAKING
// (receives begun) and DONE (senders finished). Messages in the mailbox are
// at least SENT - TAKING, so SENT - TAKING > capacity proves it held too many
// (with capacity 0: a send returned before any receiver took its message).
import { Segment } from '@ipc-course/shim';

interface MailboxLike {
  send(message: Uint8Array, timeoutMs?: number): boolean;
  receive(timeoutMs?: number): Uint8Array | undefined;
  close(): void;
}
type MailboxClass = new (segment: Segment, byteOffset: number) => MailboxLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  mailboxOffset: number;
  capacity: number;
  tag: number;
  count: number;
  closeAfter: number;
  startAfter?: number;
}
const SENT = 0,
  TAKING = 1,
  DONE = 2;

async function attach(args: ControlledArgs): Promise<{ mailbox: MailboxLike; segment: Segment }> {
  const { Mailbox } = (await import(args.implementation)) as { Mailbox: MailboxClass };
  const segment = Segment.open(args.segment);
  return { mailbox: new Mailbox(segment, args.mailboxOffset), segment };
}

/**
 * Sends `count` messages [tag, seq, tag + seq]; then, if closeAfter > 0, waits
 * until that many senders are done and closes the mailbox. Returns problems seen.
 */
export async function sendTagged(args: ControlledArgs): Promise<string[]> {
  const { mailbox, segment } = await attach(args);
  try {
    const problems: string[] = [];
    for (let seq = 0; seq < args.count; seq++) {
      if (!mailbox.send(Uint8Array.of(args.tag, seq, args.tag + seq)))
        problems.push(`send of ${args.tag}:${seq} with no timeout returned false`);
      const sent = segment.add(SENT, 1) + 1;
      const taking = segment.load(TAKING);
      if (sent - taking > args.capacity)
        problems.push(
          `${sent} sends had returned but only ${taking} receives had begun: more than capacity ${args.capacity} messages were in the mailbox`,
        );
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
 * Receives until the mailbox is closed and drained; returns "tag:seq" for each
 * ("torn" if its bytes disagree). With startAfter, begins once that many
 * senders are done, so early receives do not loosen the capacity check.
 */
export async function receiveAll(args: ControlledArgs): Promise<string[]> {
  const { mailbox, segment } = await attach(args);
  try {
    for (let done = segment.load(DONE); done < (args.startAfter ?? 0); done = segment.load(DONE))
      segment.wait(DONE, done);
    const got: string[] = [];
    for (;;) {
      segment.add(TAKING, 1);
      const m = mailbox.receive();
      if (m === undefined) return got;
      got.push(
        m.length === 3 && m[2] === m[0] + m[1] ? `${m[0]}:${m[1]}` : `torn(${[...m].join(',')})`,
      );
    }
  } finally {
    segment.close();
  }
}
