// The actors of the race check (race.test.ts). Each runs in a worker thread or
// a child process. A scheduler picks who runs at every shim call, so each run
// tries one interleaving of the clients' call() and the server's serve().
import { Segment } from '@ipc-course/shim';
import { RpcChannel } from './request-reply.ts';

export interface RaceArgs {
  segment: string;
  /** Where the channel is. */
  offset: number;
  /** A client's number, in every request it sends. */
  client: number;
  /** Calls to make, or requests to serve. */
  count: number;
}

/** Calls `count` times with [client, seq]; returns what went wrong. */
export function callServer(args: RaceArgs): string[] {
  const segment = Segment.open(args.segment);
  try {
    const channel = new RpcChannel(segment, args.offset);
    const problems: string[] = [];
    for (let seq = 0; seq < args.count; seq++) {
      const reply = channel.call(Uint8Array.of(args.client, seq));
      const got = reply === undefined ? 'undefined' : [...reply].join(',');
      const want = `${args.client},${seq},${args.client * 10 + seq}`;
      if (got !== want)
        problems.push(`client ${args.client} call ${seq} got [${got}], not [${want}]`);
    }
    return problems;
  } finally {
    segment.close();
  }
}

/** Serves `count` requests: [client, seq] is answered with [client, seq, client * 10 + seq]. */
export function serveCalls(args: RaceArgs): string[] {
  const segment = Segment.open(args.segment);
  try {
    const channel = new RpcChannel(segment, args.offset);
    channel.serve(([client, seq]) => Uint8Array.of(client, seq, client * 10 + seq), args.count);
    return [];
  } finally {
    segment.close();
  }
}
