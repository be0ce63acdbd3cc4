// A quick cut of `npm run bench -- ipc` for lessons/17-which-ipc-is-fastest.md:
// the median round trip of an 8-byte message through the three blocking
// mechanisms of the shim, each to a child process running the benchmark's own
// peer (grader/bench/ipc/peer.ts), which echoes every message back.
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { MessageQueue, Segment, close, getpid, pipe, read, startProcess, write } from '@ipc-course/shim';
import { RING_BYTES, put, take } from '../../../grader/bench/ipc/ring.ts';

const peer = new URL('../../../grader/bench/ipc/peer.ts', import.meta.url);
const ROUND_TRIPS = 500;
const WARM_UP = 100; // the first round trips include the peer's start-up
const MESSAGE = new Uint8Array(8);

/** Median round trip in µs: `send` one message, `receive` its echo. */
async function measure(child: ChildProcess, send: () => void, receive: () => void): Promise<number> {
  const micros: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const start = performance.now();
    send();
    receive();
    if (i >= WARM_UP) micros.push((performance.now() - start) * 1000);
  }
  if (child.exitCode === null) await once(child, 'exit'); // it exits after ROUND_TRIPS echoes
  return micros.sort((a, b) => a - b)[micros.length >> 1];
}

async function ring(): Promise<number> {
  const names = ['to', 'from'].map((side) => `ipcc-${getpid()}-rtt-${side}`);
  const [toPeer, fromPeer] = names.map((name) => Segment.create(name, RING_BYTES));
  try {
    const child = startProcess(peer, ['ring', 'rtt', String(ROUND_TRIPS), ...names]);
    return await measure(child, () => put(toPeer, 1, 0), () => void take(fromPeer));
  } finally {
    for (const segment of [toPeer, fromPeer]) segment.close();
    for (const name of names) Segment.unlink(name);
  }
}

async function pipes(): Promise<number> {
  const [toPeerRead, toPeerWrite] = pipe();
  const [fromPeerRead, fromPeerWrite] = pipe();
  const stdio = ['ignore', 'inherit', 'inherit', toPeerRead, fromPeerWrite] as const;
  const child = startProcess(peer, ['pipe', 'rtt', String(ROUND_TRIPS)], { stdio: [...stdio] });
  close(toPeerRead); // the child holds these two now
  close(fromPeerWrite);
  try {
    return await measure(child, () => void write(toPeerWrite, MESSAGE), () => {
      for (let got = 0; got < 8; ) got += read(fromPeerRead, 8 - got).length;
    });
  } finally {
    close(toPeerWrite);
    close(fromPeerRead);
  }
}

async function queues(): Promise<number> {
  const names = ['to', 'from'].map((side) => `/ipcc-${getpid()}-rtt-${side}`);
  const [toPeer, fromPeer] = names.map((name) => MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 8 }));
  try {
    const child = startProcess(peer, ['mq', 'rtt', String(ROUND_TRIPS), ...names]);
    return await measure(child, () => void toPeer.send(MESSAGE), () => void fromPeer.receive());
  } finally {
    for (const queue of [toPeer, fromPeer]) queue.close();
    for (const name of names) MessageQueue.unlink(name);
  }
}

const results: [string, number][] = [
  ['shared-memory ring + futex', await ring()],
  ['pipe', await pipes()],
  ['POSIX message queue', await queues()],
];
const pipeMicros = results[1][1];
console.log(`8 bytes there and back, median of ${ROUND_TRIPS - WARM_UP} round trips:`);
for (const [name, micros] of results) {
  console.log(`  ${name}: ${micros.toFixed(1)} µs (${(micros / pipeMicros).toFixed(2)}x pipe)`);
}
