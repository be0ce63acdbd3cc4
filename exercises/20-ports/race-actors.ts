// The actors of the race check (race.test.ts). Each runs in a worker thread or
// a child process. A scheduler picks who runs at every shim call, so each run
// tries one interleaving of the server's receives and the clients' sends.
import { getpid, Segment } from '@ipc-course/shim';
import { PortRegistry } from './ports.ts';

export interface RaceArgs {
  segment: string;
  /** Where the registry is, and a cell where the server puts its pid. */
  offset: number;
  serverPid: number;
  /** Messages to receive, or to send. */
  messages: number;
  /** A client's tag: it sends [tag, 0], [tag, 1], ... */
  tag: number;
  /** Try tryReceive() or trySend() first each time; block only if it fails. */
  tryFirst?: boolean;
}

/** Opens this process's port, gives out its pid, receives `messages`; returns "tag:seq" for each. */
export function serve(args: RaceArgs): string[] {
  const segment = Segment.open(args.segment);
  try {
    const port = new PortRegistry(segment, args.offset).open();
    segment.store(args.serverPid, getpid());
    segment.notify(args.serverPid);
    const got: string[] = [];
    for (let i = 0; i < args.messages; i++) {
      const received = (args.tryFirst ? port.tryReceive() : undefined) ?? port.receive();
      got.push(received ? `${received.message[0]}:${received.message[1]}` : 'none');
    }
    port.close();
    return got;
  } finally {
    segment.close();
  }
}

/** Waits for the server's pid, then sends `messages` messages [tag, seq]. */
export function sendTo(args: RaceArgs): string[] {
  const segment = Segment.open(args.segment);
  try {
    const registry = new PortRegistry(segment, args.offset);
    while (segment.load(args.serverPid) === 0) segment.wait(args.serverPid, 0);
    const pid = segment.load(args.serverPid);
    const problems: string[] = [];
    for (let seq = 0; seq < args.messages; seq++) {
      const message = Uint8Array.of(args.tag, seq);
      if (!(args.tryFirst && registry.trySend(pid, message)) && !registry.send(pid, message))
        problems.push(`send of ${args.tag}:${seq} with no timeout returned false`);
    }
    return problems;
  } finally {
    segment.close();
  }
}
