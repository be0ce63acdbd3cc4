// The measurements of lessons/18-mailbox.md: the median round trip of
// a 64-byte message to an echo child process, through the little mailbox in
// shared memory, two pipes, a Unix socket and two POSIX message queues.
// The echo children are those of lessons 11, 14 and 16. All four start at
// once (starting a process is the slow part), then each link is timed alone.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  MessageQueue,
  Segment,
  close,
  getpid,
  pipe,
  read,
  startProcess,
  write,
} from '@ipc-course/shim';
import { initLittleMailbox, littleMailboxBytes, receive, send } from './little-mailbox.ts';

const ROUNDS = 700,
  WARM_UP = 200,
  SIZE = 64;
const listing = (file: string) => new URL(`../${file}`, import.meta.url);

/** A link to a running echo child: one round trip, and how to end it. */
interface Link {
  roundTrip(message: Uint8Array): unknown;
  finish(): Promise<void>;
}

function mailboxLink(): Link {
  const replies = littleMailboxBytes(4, SIZE) / 4; // the cell where the second mailbox starts
  const segment = Segment.create(`ipcc-${getpid()}-rtt`, 2 * littleMailboxBytes(4, SIZE));
  initLittleMailbox(segment, 0, 4, SIZE);
  initLittleMailbox(segment, replies, 4, SIZE);
  const child = startProcess(listing('18-mailbox/mailbox-echo.ts'), [
    segment.name,
    String(replies),
  ]);
  return {
    roundTrip: (m) => (send(segment, 0, m), receive(segment, replies)),
    finish: async () => {
      send(segment, 0, new Uint8Array(0)); // "stop"
      await once(child, 'exit');
      segment.close();
      Segment.unlink(segment.name);
    },
  };
}

function pipesLink(): Link {
  const [toChildRead, toChildWrite] = pipe();
  const [fromChildRead, fromChildWrite] = pipe();
  const child = startProcess(listing('11-pipes/echo.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', toChildRead, fromChildWrite],
  });
  close(toChildRead);
  close(fromChildWrite);
  return {
    roundTrip: (m) => {
      write(toChildWrite, m);
      for (let got = 0; got < m.length; ) got += read(fromChildRead, m.length - got).length; // a byte stream: read until whole
    },
    finish: async () => {
      close(toChildWrite);
      await once(child, 'exit');
      close(fromChildRead);
    },
  };
}

async function unixSocketLink(): Promise<Link> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipcc-'));
  const server = startProcess(listing('16-sockets/echo-server.ts'), [path.join(dir, 'echo.sock')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await once(server.stdout!, 'data'); // where it listens, once it does
  const socket = net.connect(String(line).trim());
  await once(socket, 'connect');
  return {
    roundTrip: async (m) => {
      socket.write(m);
      for (let got = 0; got < m.length; ) got += ((await once(socket, 'data'))[0] as Buffer).length;
    },
    finish: async () => {
      socket.end();
      await once(server, 'exit');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function messageQueuesLink(): Link {
  const names = [`/ipcc-${getpid()}-requests`, `/ipcc-${getpid()}-replies`];
  const [requests, replies] = names.map((name) =>
    MessageQueue.open(name, { create: true, exclusive: true, maxMessages: 4, messageSize: SIZE }),
  );
  const child = startProcess(listing('14-message-queues/echo.ts'), names);
  return {
    roundTrip: (m) => (requests.send(m), replies.receive()),
    finish: async () => {
      requests.send(new Uint8Array(0)); // "stop"
      await once(child, 'exit');
      for (const queue of [requests, replies]) queue.close();
      for (const name of names) MessageQueue.unlink(name);
    },
  };
}

/** Median of ROUNDS - WARM_UP timed round trips, in µs. */
async function median(link: Link): Promise<number> {
  const message = new Uint8Array(SIZE).fill(7);
  const micros: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await link.roundTrip(message);
    if (i >= WARM_UP) micros.push((performance.now() - start) * 1000);
  }
  return micros.sort((a, b) => a - b)[micros.length >> 1];
}

/** Median round trips in µs, by link. */
export async function roundTrips(): Promise<
  Record<'mailbox' | 'pipes' | 'unixSocket' | 'messageQueues', number>
> {
  const links = {
    mailbox: mailboxLink(),
    pipes: pipesLink(),
    unixSocket: await unixSocketLink(),
    messageQueues: messageQueuesLink(),
  };
  try {
    return {
      mailbox: await median(links.mailbox),
      pipes: await median(links.pipes),
      unixSocket: await median(links.unixSocket),
      messageQueues: await median(links.messageQueues),
    };
  } finally {
    for (const link of Object.values(links)) await link.finish();
  }
}
