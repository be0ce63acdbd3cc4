// A quick cut of `npm run bench -- ipc` for lessons/17-which-ipc-is-fastest.md:
// the median round trip of an 8-byte message through the three blocking
// mechanisms of the shim, each to a child process running the benchmark's own
// peer (grader/bench/ipc/peer.ts), which echoes every message back. The three
// peers start together (start-up is most of the run time) and are measured one
// after the other, so that they do not compete for the CPUs.
import { once } from 'node:events';
import type { ChildProcess, StdioOptions } from 'node:child_process';
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
import { RING_BYTES, put, take } from '../../../grader/bench/ipc/ring.ts';

const peer = new URL('../../../grader/bench/ipc/peer.ts', import.meta.url);
const ROUND_TRIPS = 500;
const WARM_UP = 100; // the first round trips include the peer's start-up
const MESSAGE = new Uint8Array(8);

/** A started peer, and how to send it one message and receive its echo. */
interface Channel {
  child: ChildProcess;
  send(): void;
  receive(): void;
  cleanUp(): void;
}

function ring(): Channel {
  const names = ['to', 'from'].map((side) => `ipcc-${getpid()}-rtt-${side}`);
  const [toPeer, fromPeer] = names.map((name) => Segment.create(name, RING_BYTES));
  return {
    child: startProcess(peer, ['ring', 'rtt', String(ROUND_TRIPS), ...names]),
    send: () => put(toPeer, 1, 0),
    receive: () => void take(fromPeer),
    cleanUp() {
      for (const segment of [toPeer, fromPeer]) segment.close();
      for (const name of names) Segment.unlink(name);
    },
  };
}

function pipes(): Channel {
  const [toPeerRead, toPeerWrite] = pipe();
  const [fromPeerRead, fromPeerWrite] = pipe();
  const stdio: StdioOptions = ['ignore', 'inherit', 'inherit', toPeerRead, fromPeerWrite];
  const child = startProcess(peer, ['pipe', 'rtt', String(ROUND_TRIPS)], { stdio });
  close(toPeerRead); // the child holds these two now
  close(fromPeerWrite);
  return {
    child,
    send: () => void write(toPeerWrite, MESSAGE),
    receive() {
      for (let got = 0; got < 8; ) got += read(fromPeerRead, 8 - got).length;
    },
    cleanUp() {
      close(toPeerWrite);
      close(fromPeerRead);
    },
  };
}

function queues(): Channel {
  const names = ['to', 'from'].map((side) => `/ipcc-${getpid()}-rtt-${side}`);
  const [toPeer, fromPeer] = names.map((name) =>
    MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 8 }),
  );
  return {
    child: startProcess(peer, ['mq', 'rtt', String(ROUND_TRIPS), ...names]),
    send: () => void toPeer.send(MESSAGE),
    receive: () => void fromPeer.receive(),
    cleanUp() {
      for (const queue of [toPeer, fromPeer]) queue.close();
      for (const name of names) MessageQueue.unlink(name);
    },
  };
}

/** Median round trip in µs. The peer exits after ROUND_TRIPS echoes. */
async function measure({ child, send, receive }: Channel): Promise<number> {
  const micros: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const start = performance.now();
    send();
    receive();
    if (i >= WARM_UP) micros.push((performance.now() - start) * 1000);
  }
  if (child.exitCode === null) await once(child, 'exit');
  return micros.sort((a, b) => a - b)[micros.length >> 1];
}

const names = ['shared-memory ring + futex', 'pipe', 'POSIX message queue'];
const channels: Channel[] = [];
try {
  for (const open of [ring, pipes, queues]) channels.push(open()); // the peers start up together ...
  const micros: number[] = [];
  for (const channel of channels) micros.push(await measure(channel)); // ... and are measured one at a time
  console.log(`8 bytes there and back, median of ${ROUND_TRIPS - WARM_UP} round trips:`);
  for (const [i, name] of names.entries()) {
    console.log(
      `  ${name}: ${micros[i].toFixed(1)} µs (${(micros[i] / micros[1]).toFixed(2)}x pipe)`,
    );
  }
} finally {
  for (const channel of channels) {
    if (channel.child.exitCode === null) channel.child.kill();
    channel.cleanUp();
  }
}
