// Actors of the priority mailbox suite's controlled test (see harness/schedule/).
import { Segment } from '@ipc-course/shim';

interface PriorityMailboxLike {
  send(message: Uint8Array, priority: number, timeoutMs?: number): boolean;
  receive(timeoutMs?: number): { message: Uint8Array; priority: number } | undefined;
}
type MailboxClass = new (segment: Segment, byteOffset: number) => PriorityMailboxLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  mailboxOffset: number;
  tag: number;
  priority: number;
  count: number;
  sent: number;
}

async function attach(
  args: ControlledArgs,
): Promise<{ mailbox: PriorityMailboxLike; segment: Segment }> {
  const { PriorityMailbox } = (await import(args.implementation)) as {
    PriorityMailbox: MailboxClass;
  };
  const segment = Segment.open(args.segment);
  return { mailbox: new PriorityMailbox(segment, args.mailboxOffset), segment };
}

/** Sends `count` messages [tag, seq, tag + seq] at one priority; counts each finished send in cell `sent + tag`. */
export async function sendAtPriority(args: ControlledArgs): Promise<void> {
  const { mailbox, segment } = await attach(args);
  try {
    for (let seq = 0; seq < args.count; seq++) {
      mailbox.send(Uint8Array.of(args.tag, seq, args.tag + seq), args.priority);
      segment.add(args.sent + args.tag, 1);
    }
  } finally {
    segment.close();
  }
}

/** Receives `count` messages; for each, what it was and how many sends of tags 1 and 2 had finished before the receive began. */
export async function receiveNoting(
  args: ControlledArgs,
): Promise<Array<{ got: string; sentBefore: number[] }>> {
  const { mailbox, segment } = await attach(args);
  try {
    const log: Array<{ got: string; sentBefore: number[] }> = [];
    for (let i = 0; i < args.count; i++) {
      const sentBefore = [1, 2].map((tag) => segment.load(args.sent + tag));
      const r = mailbox.receive();
      const m = r?.message;
      const got =
        m === undefined
          ? 'none'
          : m.length === 3 && m[2] === m[0] + m[1]
            ? `${m[0]}:${m[1]}`
            : `torn(${[...m].join(',')})`;
      log.push({ got, sentBefore });
    }
    return log;
  } finally {
    segment.close();
  }
}
