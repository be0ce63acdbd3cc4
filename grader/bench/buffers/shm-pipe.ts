// Byte streams for `npm run bench -- buffers`, like for like: the reference ShmPipe
// (solutions/12-shm-pipe) and pipe(2), each fed with writes of the same size
// (8 B, 4 KiB, 64 KiB) from this process to a peer process that reads until it
// has every byte, then answers. This file is also both peers, started with argv:
// 'shm-pipe' segment-name bytes, or 'pipe' bytes (fds 3 and 4).
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Segment, close, getpid, pipe, read, startProcess, write } from '@ipc-course/shim';
import { ShmPipe } from '../../../solutions/12-shm-pipe/shm-pipe.ts';
import type { Subject } from '../buffers.ts';

const CAPACITY = 64 * 1024; // as a Linux pipe's default buffer
const READ_MAX = 64 * 1024;
const REPLY_OFFSET = 64;
const DATA_OFFSET = REPLY_OFFSET + ShmPipe.byteLength(64);
const BYTES = DATA_OFFSET + ShmPipe.byteLength(CAPACITY);

/** Writes per run for each size: a few tenths of a second on a quiet 2-CPU machine. */
export const WRITE_SIZES = [
  { size: 8, writes: 300_000 },
  { size: 4096, writes: 40_000 },
  { size: 65536, writes: 4_000 },
];

function shmPipeSubject(size: number, writes: number): Subject {
  return {
    name: 'ShmPipe (reference, 11)',
    item: `${size} B writes, capacity 64 KiB`,
    messages: writes,
    async open(count) {
      const name = `ipcc-${getpid()}-bench-shm-pipe`;
      const segment = Segment.create(name, BYTES);
      const reply = ShmPipe.init(segment, REPLY_OFFSET, 64);
      const data = ShmPipe.init(segment, DATA_OFFSET, CAPACITY);
      const child = startProcess(import.meta.url, ['shm-pipe', name, String(count * size)]);
      const bytes = new Uint8Array(size);
      let started = false;
      return {
        send: () => {
          if (started) data.write(bytes);
          started = true; // the first send is oneWayPerSecond's start line: the peer writes first
        },
        receive: () => void reply.read(1),
        async finish() {
          if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
          segment.close();
          Segment.unlink(name);
        },
      };
    },
  };
}

function pipeSubject(size: number, writes: number): Subject {
  return {
    name: 'pipe(2)',
    item: `${size} B writes, capacity 64 KiB`,
    messages: writes,
    async open(count) {
      const [toPeerRead, toPeerWrite] = pipe();
      const [fromPeerRead, fromPeerWrite] = pipe();
      const child = startProcess(import.meta.url, ['pipe', String(count * size)], {
        stdio: ['ignore', 'inherit', 'inherit', toPeerRead, fromPeerWrite],
      });
      close(toPeerRead);
      close(fromPeerWrite);
      const bytes = new Uint8Array(size);
      let started = false;
      return {
        send: () => {
          if (started) write(toPeerWrite, bytes); // blocking: all `size` bytes go in
          started = true;
        },
        receive: () => void read(fromPeerRead, 1),
        async finish() {
          if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
          close(toPeerWrite);
          close(fromPeerRead);
        },
      };
    },
  };
}

/** For each write size, ShmPipe and pipe(2) carrying the same bytes in the same writes. */
export const byteStreams = WRITE_SIZES.map(({ size, writes }) => ({
  size,
  shmPipe: shmPipeSubject(size, writes),
  pipe: pipeSubject(size, writes),
}));

const peer = process.argv[1] === fileURLToPath(import.meta.url) ? process.argv[2] : undefined;
if (peer === 'shm-pipe') {
  const segment = Segment.open(process.argv[3]);
  const bytes = Number(process.argv[4]);
  const reply = new ShmPipe(segment, REPLY_OFFSET);
  const data = new ShmPipe(segment, DATA_OFFSET);
  reply.write(Uint8Array.of(1)); // the start line
  for (let got = 0; got < bytes; ) got += data.read(READ_MAX)!.length;
  reply.write(Uint8Array.of(2));
  segment.close();
} else if (peer === 'pipe') {
  const bytes = Number(process.argv[3]);
  write(4, Uint8Array.of(1)); // the start line
  for (let got = 0; got < bytes; ) got += read(3, READ_MAX).length;
  write(4, Uint8Array.of(2));
}
