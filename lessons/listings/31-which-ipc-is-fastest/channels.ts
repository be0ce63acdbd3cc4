// Lesson 31's two ways to carry small messages to a child process (peer.ts) and
// back: a pair of shared-memory rings that sleep in the futex (AtomicsRing, the
// ring of lesson 09 on raw Atomics), and a pair of pipes with 8-byte writes.
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import {
  AtomicsRing,
  Segment,
  close,
  getpid,
  pipe,
  read,
  startProcess,
  write,
} from '@ipc-course/shim';

export const TO_PEER = 0; // byte offsets of the two rings in the segment
export const FROM_PEER = 4096;
const RING_CAPACITY = 1024;
const peer = new URL('./peer.ts', import.meta.url);
let opened = 0;

export type Way = 'ring' | 'pipe';

/** A started peer: send one message, receive one, and clean up once it has exited. */
export interface Channel {
  send(): void;
  receive(): void;
  close(): Promise<void>;
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
}

/** Starts a peer for `test` ('echo' or 'sink', see peer.ts), pinned to `peerCpu` (-1: not pinned). */
export function open(way: Way, test: 'echo' | 'sink', count: number, peerCpu = -1): Channel {
  const args = [way, test, String(count), String(peerCpu)];
  if (way === 'ring') {
    const name = `ipcc-${getpid()}-channel-${opened++}`;
    const segment = Segment.create(name, FROM_PEER + AtomicsRing.byteLength(RING_CAPACITY));
    const toPeer = AtomicsRing.init(segment, TO_PEER, RING_CAPACITY);
    const fromPeer = AtomicsRing.init(segment, FROM_PEER, RING_CAPACITY);
    const child = startProcess(peer, [...args, name]);
    return {
      send: () => void toPeer.put(1),
      receive: () => void fromPeer.take(),
      async close() {
        await exited(child);
        segment.close();
        Segment.unlink(name);
      },
    };
  }
  const [toPeerRead, toPeerWrite] = pipe();
  const [fromPeerRead, fromPeerWrite] = pipe();
  const child = startProcess(peer, args, {
    stdio: ['ignore', 'inherit', 'inherit', toPeerRead, fromPeerWrite],
  });
  close(toPeerRead); // the child holds these two now
  close(fromPeerWrite);
  const message = new Uint8Array(8);
  return {
    send: () => void write(toPeerWrite, message),
    receive() {
      for (let got = 0; got < 8; ) got += read(fromPeerRead, 8 - got).length;
    },
    async close() {
      await exited(child);
      close(toPeerWrite);
      close(fromPeerRead);
    },
  };
}
