// Actors of the mailbox suite's controlled test (see harness/schedule/).
import { Segment } from '@ipc-course/shim';

interface MailboxLike { send(message: Uint8Array, timeoutMs?: number): boolean; receive(timeoutMs?: number): Uint8Array | undefined }
type MailboxClass = new (segment: Segment, byteOffset: number) => MailboxLike;

export interface ControlledArgs { implementation: string; segment: string; mailboxOffset: number; tag: number; count: number }

async function attach(args: ControlledArgs): Promise<{ mailbox: MailboxLike; segment: Segment }> {
  const { Mailbox } = (await import(args.implementation)) as { Mailbox: MailboxClass };
  const segment = Segment.open(args.segment);
  return { mailbox: new Mailbox(segment, args.mailboxOffset), segment };
}

/** Sends `count` messages [tag, seq, tag + seq]; returns what send() said each time. */
export async function sendTagged(args: ControlledArgs): Promise<boolean[]> {
  const { mailbox, segment } = await attach(args);
  try {
    return Array.from({ length: args.count }, (_, seq) => mailbox.send(Uint8Array.of(args.tag, seq, args.tag + seq)));
  } finally {
    segment.close();
  }
}

/** Receives `count` messages; returns them as "tag:seq" ("torn" if the bytes disagree). */
export async function receiveTagged(args: ControlledArgs): Promise<string[]> {
  const { mailbox, segment } = await attach(args);
  try {
    const got: string[] = [];
    for (let i = 0; i < args.count; i++) {
      const m = mailbox.receive();
      got.push(m === undefined ? 'none' : m.length === 3 && m[2] === m[0] + m[1] ? `${m[0]}:${m[1]}` : `torn(${[...m].join(',')})`);
    }
    return got;
  } finally {
    segment.close();
  }
}
