// npm run bench -- ipc: which IPC is fastest on this machine? Round-trip latency
// and one-way throughput of 8-byte messages through six mechanisms, each between
// two processes (MessagePort: two threads), against a pipe measured in the same run;
// then bulk data, 16 MiB frames in place in shared memory against a pipe and a socket.
// Round trips are pinned (pinThread): both sides on one CPU, then each on its own,
// since an unpinned round trip is whichever of the two the scheduler picked.
// The other side of each measurement is ipc/peer.ts. Explained in
// lessons/31-which-ipc-is-fastest.md.
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
  pinThread,
  pipe,
  read,
  startProcess,
  startWorker,
  threadCpus,
  write,
} from '@ipc-course/shim';
import { median } from '../../native/bench/measure.ts';
import { describeMachine } from '../../native/bench/machine.ts';
import { FRAME, measureBulk } from '../../lessons/listings/31-which-ipc-is-fastest/bulk.ts';
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
  /** Starts the peer, pinned to `peerCpu` if given (peer.ts reads IPC_BENCH_CPU). */
  open(test: Test, count: number, peerCpu?: number): Promise<Channel>;
}

/** The environment of a peer: this one's, and the CPU it must pin itself to. */
function peerEnv(peerCpu: number | undefined): NodeJS.ProcessEnv {
  return peerCpu === undefined ? process.env : { ...process.env, IPC_BENCH_CPU: String(peerCpu) };
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
  async open(test, count, peerCpu) {
    const names = ['to', 'from'].map((side) => `ipcc-${getpid()}-bench-ring-${side}`);
    const [toPeer, fromPeer] = names.map((name) => Segment.create(name, RING_BYTES));
    const child = startProcess(peer, ['ring', test, String(count), ...names], {
      env: peerEnv(peerCpu),
    });
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
  async open(test, count, peerCpu) {
    const [toPeerRead, toPeerWrite] = pipe();
    const [fromPeerRead, fromPeerWrite] = pipe();
    const child = startProcess(peer, ['pipe', test, String(count)], {
      env: peerEnv(peerCpu),
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
  async open(test, count, peerCpu) {
    const names = ['to', 'from'].map((side) => `/ipcc-${getpid()}-bench-mq-${side}`);
    const [toPeer, fromPeer] = names.map((name) =>
      MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 8 }),
    );
    const child = startProcess(peer, ['mq', test, String(count), ...names], {
      env: peerEnv(peerCpu),
    });
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
  async open(test, count, peerCpu) {
    const path = join(tmpdir(), `ipcc-${getpid()}-bench.sock`);
    const server = createServer();
    server.listen(path);
    await once(server, 'listening');
    const child = startProcess(peer, ['unix', test, String(count), path], {
      env: peerEnv(peerCpu),
    });
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
  async open(test, count, peerCpu) {
    const worker = startWorker(peer, ['port', test, String(count)], { env: peerEnv(peerCpu) });
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
  async open(test, count, peerCpu) {
    const child = startProcess(peer, ['cp', test, String(count)], {
      env: peerEnv(peerCpu),
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

/** Median round trip in µs, this thread pinned to `cpus.self` and the peer to `cpus.peer`. */
async function roundTripUs(
  mechanism: Mechanism,
  cpus: { self: number; peer: number },
): Promise<number> {
  const allowed = threadCpus();
  pinThread([cpus.self]);
  try {
    const channel = await mechanism.open('rtt', ROUND_TRIPS, cpus.peer);
    const samples: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const start = process.hrtime.bigint();
      channel.send();
      await channel.receive();
      samples.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    await channel.finish();
    return median(samples.slice(100)); // the first rounds include the peer's start-up
  } finally {
    pinThread(allowed);
  }
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

/** Pinned round trips of `mechanisms`, one CPU and two side by side, against a pipe's (printed). */
export async function printRoundTrips(mechanisms: Mechanism[]): Promise<void> {
  const [first, second = first] = threadCpus();
  const results: { name: string; oneCpuUs: number; twoCpusUs: number }[] = [];
  for (const mechanism of mechanisms)
    results.push({
      name: mechanism.name,
      oneCpuUs: await roundTripUs(mechanism, { self: first, peer: first }),
      twoCpusUs: await roundTripUs(mechanism, { self: first, peer: second }),
    });
  const base = results.find((r) => r.name === 'pipe') ?? results[0];
  printTable([
    ['mechanism', 'round trip, 1 CPU', `x ${base.name}`, '2 CPUs', `x ${base.name}`],
    ...results.map((r) => [
      r.name,
      `${r.oneCpuUs.toFixed(1)} us`,
      `${(r.oneCpuUs / base.oneCpuUs).toFixed(2)}x`,
      `${r.twoCpusUs.toFixed(1)} us`,
      `${(r.twoCpusUs / base.twoCpusUs).toFixed(2)}x`,
    ]),
  ]);
  console.log(
    `round trips: median of ${ROUND_TRIPS - 100}, both sides pinned to CPU ${first} (1 CPU), then this side to CPU ${first} and the peer to CPU ${second} (2 CPUs)${first === second ? ': this machine lets us use one CPU only' : ''}`,
  );
}

/** 16 MiB frames written in place in shared memory (an offset crosses) against a pipe and a socket (printed). */
export async function printBulk(): Promise<void> {
  const bulk = await measureBulk();
  const inPlace = bulk[0].gbPerSecond;
  console.log(
    `bulk data: frames of ${FRAME >> 20} MiB to a child process, every byte written and checked`,
  );
  printTable([
    ['way', 'GB/s', 'in place / this'],
    ...bulk.map((b) => [
      b.way,
      b.gbPerSecond.toFixed(2),
      `${(inPlace / b.gbPerSecond).toFixed(1)}x`,
    ]),
  ]);
}

export async function benchIpc(): Promise<void> {
  console.log(describeMachine());
  const mechanisms = [ring, pipes, mq, unix, port, childIpc];
  const [first, second = first] = threadCpus();
  const results: { name: string; oneCpuUs: number; twoCpusUs: number; perSecond: number }[] = [];
  const began = Date.now();
  for (const mechanism of mechanisms) {
    const oneCpuUs = await roundTripUs(mechanism, { self: first, peer: first });
    const twoCpusUs = await roundTripUs(mechanism, { self: first, peer: second });
    const perSecond = await messagesPerSecond(mechanism);
    results.push({ name: mechanism.name, oneCpuUs, twoCpusUs, perSecond });
  }
  const base = results.find((r) => r.name === 'pipe')!;
  const rows = [
    ['mechanism', 'round trip, 1 CPU', 'x pipe', '2 CPUs', 'x pipe', 'one-way 8 B', 'x pipe'],
    ...results.map((r) => [
      r.name,
      `${r.oneCpuUs.toFixed(1)} us`,
      `${(r.oneCpuUs / base.oneCpuUs).toFixed(2)}x`,
      `${r.twoCpusUs.toFixed(1)} us`,
      `${(r.twoCpusUs / base.twoCpusUs).toFixed(2)}x`,
      `${si(r.perSecond)} msg/s`,
      `${(r.perSecond / base.perSecond).toFixed(2)}x`,
    ]),
  ];
  printTable(rows);
  console.log(
    `\nround trips: median of ${ROUND_TRIPS - 100}, both sides pinned to CPU ${first} (1 CPU), then this side to CPU ${first} and the peer to CPU ${second} (2 CPUs)${first === second ? ': this machine lets us use one CPU only' : ''}; one-way: one run, unpinned.`,
  );
  const nameWidth = Math.max(...results.map((r) => r.name.length));
  const maxRate = Math.max(...results.map((r) => r.perSecond));
  console.log('\none-way throughput (longer is better)');
  for (const r of results)
    console.log(
      `${r.name.padEnd(nameWidth)}  ${bar(r.perSecond, maxRate)} ${si(r.perSecond)} msg/s`,
    );
  console.log('');
  await printBulk();
  console.log(
    `\n${((Date.now() - began) / 1000).toFixed(1)} s in all. See lessons/31-which-ipc-is-fastest.md.`,
  );
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
        .join('  '),
    );
}
