// The actors of the race check (race.test.ts). Each runs in a worker thread or
// a child process. A scheduler picks who runs at every shim call, so each run
// tries one interleaving of their send() and receive() calls.
import { Segment } from '@ipc-course/shim';
import { UnboundedMailbox } from './unbounded-mailbox.ts';

export interface RaceArgs {
  segment: string;
  /** Where the mailbox is. */
  offset: number;
  /** A sender's tag: it sends [tag, seq, tag + seq]. */
  tag: number;
  /** Messages to send, or to receive. */
  count: number;
  /** Try tryReceive() first each time; block only if it fails. */
  tryFirst?: boolean;
}

/** Sends `count` messages [tag, seq, tag + seq]. */
export function sendTagged(args: RaceArgs): number {
  const segment = Segment.open(args.segment);
  try {
    const mailbox = new UnboundedMailbox(segment, args.offset);
    for (let seq = 0; seq < args.count; seq++) {
      const message = Uint8Array.of(args.tag, seq, args.tag + seq);
      mailbox.send(message);
    }
    return args.count;
  } finally {
    segment.close();
  }
}

/** Receives `count` messages; returns "tag:seq" for each, or "torn" if its bytes disagree. */
export function receiveTagged(args: RaceArgs): string[] {
  const segment = Segment.open(args.segment);
  try {
    const mailbox = new UnboundedMailbox(segment, args.offset);
    const got: string[] = [];
    for (let i = 0; i < args.count; i++) {
      const m = (args.tryFirst ? mailbox.tryReceive() : undefined) ?? mailbox.receive();
      if (m === undefined) got.push('none');
      else got.push(m.length === 3 && m[2] === m[0] + m[1] ? `${m[0]}:${m[1]}` : 'torn');
    }
    return got;
  } finally {
    segment.close();
  }
}
