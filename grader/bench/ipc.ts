// npm run bench -- ipc: which IPC is fastest on this machine? Round-trip latency
// and one-way throughput of 8-byte messages through six mechanisms, each between
// two processes (MessagePort: two threads), against a pipe measured in the same run.
// The other side of each measurement is ipc/peer.ts. Explained in
// lessons/17-which-ipc-is-fastest.md; reference figures: shared/reference/ipc-limits.md.
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
  MessageQueue,
  Segment,
  close,
  getpid,
  pipe,
  read,
  startProcess,
  startWorker,
  write,
} from '@ipc-course/shim';
import { median } from '../../native/bench/measure.ts';
import { RING_BYTES, put, take } from './ipc/ring.ts';

const peer = new URL('./ipc/peer.ts', import.meta.url);
const ROUND_TRIPS = 2000;
const MESSAGE = new Uint8Array(8);

/** One side of a connection to a started peer: send one message, wait for one. */
export interface Channel {
  send(): void;
  receive(): void | Promise<void>;
  finish(): Promise<void>;
}
type Test = 'rtt' | 'oneway';
export interface Mechanism {
  name: string;
  /** messages for the one-way test: enough for ~0.3 s at the reference speed */
  messages: number;
  open(test: Test, count: number): Promise<Channel>;
}

/** Turns message events into awaitable receives. */
function mailbox(): { arrived: () => void; receive: () => void | Promise<void> } {
  let pending = 0;
  let wake: (() => void) | null = null;
  return {
    arrived() {
      if (wake) {
        const w = wake;
        wake = null;
        w();
      } else pending++;
    },
    receive() {
      if (pending > 0) {
        pending--;
        return;
      }
      return new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
}

export const ring: Mechanism = {
  name: 'shared-memory ring + futex',
  messages: 200_000,
  async open(test, count) {
    const names = ['to', 'from'].map((side) => `ipcc-${getpid()}-bench-ring-${side}`);
    const [toPeer, fromPeer] = names.map((name) => Segment.create(name, RING_BYTES));
    const child = startProcess(peer, ['ring', test, String(count), ...names]);
    return {
      send: () => put(toPeer, 1, 0),
      receive: () => void take(fromPeer),
      async finish() {
        await exited(child);
        for (const [i, segment] of [toPeer, fromPeer].entries()) {
          segment.close();
          Segment.unlink(names[i]);
        }
      },
    };
  },
};

export const pipes: Mechanism = {
  name: 'pipe',
  messages: 200_000,
  async open(test, count) {
    const [toPeerRead, toPeerWrite] = pipe();
    const [fromPeerRead, fromPeerWrite] = pipe();
    const child = startProcess(peer, ['pipe', test, String(count)], {
      stdio: ['ignore', 'inherit', 'inherit', toPeerRead, fromPeerWrite],
    });
    close(toPeerRead);
    close(fromPeerWrite);
    return {
      send: () => void write(toPeerWrite, MESSAGE),
      receive() {
        for (let got = 0; got < 8; ) got += read(fromPeerRead, 8 - got).length;
      },
      async finish() {
        await exited(child);
        close(toPeerWrite);
        close(fromPeerRead);
      },
    };
  },
};

const mq: Mechanism = {
  name: 'POSIX message queue',
  messages: 100_000,
  async open(test, count) {
    const names = ['to', 'from'].map((side) => `/ipcc-${getpid()}-bench-mq-${side}`);
    const [toPeer, fromPeer] = names.map((name) =>
      MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 8 }),
    );
    const child = startProcess(peer, ['mq', test, String(count), ...names]);
    return {
      send: () => void toPeer.send(MESSAGE),
      receive: () => void fromPeer.receive(),
      async finish() {
        await exited(child);
        for (const [i, queue] of [toPeer, fromPeer].entries()) {
          queue.close();
          MessageQueue.unlink(names[i]);
        }
      },
    };
  },
};

export const unix: Mechanism = {
  name: 'Unix domain socket',
  messages: 100_000,
  async open(test, count) {
    const path = join(tmpdir(), `ipcc-${getpid()}-bench.sock`);
    const server = createServer();
    server.listen(path);
    await once(server, 'listening');
    const child = startProcess(peer, ['unix', test, String(count), path]);
    const [socket] = (await once(server, 'connection')) as [Socket];
    socket.setNoDelay(true);
    const box = mailbox();
    let got = 0;
    socket.on('data', (chunk) => {
      for (got += chunk.length; got >= 8; got -= 8) box.arrived();
    });
    return {
      send: () => void socket.write(MESSAGE),
      receive: box.receive,
      async finish() {
        socket.end();
        await exited(child);
        server.close(); // removes the socket file
      },
    };
  },
};

export const port: Mechanism = {
  name: 'MessagePort (worker threads)',
  messages: 100_000,
  async open(test, count) {
    const worker = startWorker(peer, ['port', test, String(count)]);
    const box = mailbox();
    worker.on('message', box.arrived);
    return {
      send: () => worker.postMessage(MESSAGE),
      receive: box.receive,
      async finish() {
        await worker.terminate();
      },
    };
  },
};

const childIpc: Mechanism = {
  name: 'child_process IPC (json)',
  messages: 50_000,
  async open(test, count) {
    const child = startProcess(peer, ['cp', test, String(count)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const box = mailbox();
    child.on('message', box.arrived);
    return {
      send: () => void child.send('12345678'),
      receive: box.receive,
      async finish() {
        await exited(child);
      },
    };
  },
};

async function roundTripUs(mechanism: Mechanism): Promise<number> {
  const channel = await mechanism.open('rtt', ROUND_TRIPS);
  const samples: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const start = process.hrtime.bigint();
    channel.send();
    await channel.receive();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  await channel.finish();
  return median(samples.slice(100)); // the first rounds include the peer's start-up
}

/** One-way throughput: `count` messages through a channel opened for them, to a peer that replies once it has them all. */
export async function oneWayPerSecond(
  open: (count: number) => Promise<Channel>,
  count: number,
): Promise<number> {
  const channel = await open(count);
  channel.send(); // the start line: the peer is up once this comes back
  await channel.receive();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) channel.send();
  await channel.receive(); // the peer's reply: it has them all
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await channel.finish();
  return count / seconds;
}

const messagesPerSecond = (mechanism: Mechanism) =>
  oneWayPerSecond((count) => mechanism.open('oneway', count), mechanism.messages);

function si(value: number): string {
  return value >= 1e6 ? `${(value / 1e6).toFixed(2)} M` : `${(value / 1e3).toFixed(0)} k`;
}

function bar(value: number, max: number, width = 40): string {
  return '#'.repeat(Math.max(1, Math.round((value / max) * width)));
}

export async function benchIpc(): Promise<void> {
  const mechanisms = [ring, pipes, mq, unix, port, childIpc];
  const results: { name: string; rttUs: number; perSecond: number }[] = [];
  const began = Date.now();
  for (const mechanism of mechanisms) {
    const rttUs = await roundTripUs(mechanism);
    const perSecond = await messagesPerSecond(mechanism);
    results.push({ name: mechanism.name, rttUs, perSecond });
  }
  const base = results.find((r) => r.name === 'pipe')!;
  const rows = [
    ['mechanism', 'round trip', 'x pipe', 'one-way 8 B', 'x pipe'],
    ...results.map((r) => [
      r.name,
      `${r.rttUs.toFixed(1)} us`,
      `${(r.rttUs / base.rttUs).toFixed(2)}x`,
      `${si(r.perSecond)} msg/s`,
      `${(r.perSecond / base.perSecond).toFixed(2)}x`,
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
        .join('  '),
    );
  const nameWidth = widths[0];
  const maxRtt = Math.max(...results.map((r) => r.rttUs));
  const maxRate = Math.max(...results.map((r) => r.perSecond));
  console.log('\nround trip, median (shorter is better)');
  for (const r of results)
    console.log(`${r.name.padEnd(nameWidth)}  ${bar(r.rttUs, maxRtt)} ${r.rttUs.toFixed(1)} us`);
  console.log('\none-way throughput (longer is better)');
  for (const r of results)
    console.log(
      `${r.name.padEnd(nameWidth)}  ${bar(r.perSecond, maxRate)} ${si(r.perSecond)} msg/s`,
    );
  console.log(
    `\nround trip: median of ${ROUND_TRIPS - 100}; throughput: one run; ${((Date.now() - began) / 1000).toFixed(1)} s in all.`,
  );
  console.log(
    'Unpinned round trips are bimodal (~5 us on one CPU, ~50 us across two): run it twice. See lessons/17-which-ipc-is-fastest.md.',
  );
}
