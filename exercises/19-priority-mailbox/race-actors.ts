// The actors of the race check (race.test.ts). Each runs in a worker thread or
// a child process. A scheduler picks who runs at every shim call, so each run
// tries one interleaving of their send() and receive() calls.
import { Segment } from '@ipc-course/shim';
import { PriorityMailbox } from './priority-mailbox.ts';

export interface RaceArgs {
  segment: string;
  /** Where the mailbox is. */
  offset: number;
  /** A sender's tag: it sends [tag, 0, tag] and [tag, 1, tag + 1]. */
  tag: number;
  /** The priority of every message this sender sends. */
  priority: number;
  /** Messages to send, or to receive. */
  count: number;
  /** Try trySend() or tryReceive() first each time; block only if it fails. */
  tryFirst?: boolean;
}

/** Sends `count` messages [tag, seq, tag + seq]. */
export function sendTagged(args: RaceArgs): number {
  const segment = Segment.open(args.segment);
  try {
    const mailbox = new PriorityMailbox(segment, args.offset);
    for (let seq = 0; seq < args.count; seq++) {
      const message = Uint8Array.of(args.tag, seq, args.tag + seq);
      if (!(args.tryFirst && mailbox.trySend(message, args.priority)))
        mailbox.send(message, args.priority);
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
    const mailbox = new PriorityMailbox(segment, args.offset);
    const got: string[] = [];
    for (let i = 0; i < args.count; i++) {
      const m = ((args.tryFirst ? mailbox.tryReceive() : undefined) ?? mailbox.receive())?.message;
      if (m === undefined) got.push('none');
      else got.push(m.length === 3 && m[2] === m[0] + m[1] ? `${m[0]}:${m[1]}` : 'torn');
    }
    return got;
  } finally {
    segment.close();
  }
}
