// Bulk data: frames of 16 MiB from this process to a child process, three ways.
//
//   in place   the producer writes each frame straight into a shared segment and
//              sends only its offset, through a ring; the consumer reads the frame
//              where it lies and sends the offset back when it is done with it
//   pipe(2)    the producer writes the frame into its own memory, then write(2)
//              copies it into the kernel and the consumer's read(2) copies it out
//   Unix socket  the same two copies, through Node's sockets and event loop
//
// Each way does the same work at both ends: the producer fills every byte of a
// frame, the consumer checks every byte (indexOf, a fast scan). Only the carrying
// differs. This file is also the consumer: startProcess runs it with argv 'consumer'.
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

export const FRAME = 16 << 20;
const SLOTS = 2; // frames in the segment: the producer fills one while the consumer reads the other
const RING_BYTES = 64; // each offset ring (capacity 2) fits in 64 bytes
const FULL = 0; // ring of filled frames' offsets, producer to consumer
const FREE = RING_BYTES; // ring of read frames' offsets, back to the producer
const FIRST_FRAME = 4096;

/** The byte frame number k is filled with; the consumer checks every byte against it. */
const fillOf = (k: number) => (k * 7 + 1) & 0xff;

/** Throws unless every byte of `bytes` is `fill`: the first is, and each equals the next (one memcmp). */
function check(bytes: Uint8Array, fill: number): void {
  const same = Buffer.compare(bytes.subarray(1), bytes.subarray(0, bytes.length - 1)) === 0;
  if (bytes.length > 0 && !(bytes[0] === fill && same))
    throw new Error(`a frame byte is not ${fill}`);
}

export interface BulkResult {
  way: string;
  gbPerSecond: number;
}

async function exited(child: ReturnType<typeof startProcess>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
}

/** In place: only offsets cross, through two AtomicsRings of capacity 2. */
async function inPlace(frames: number): Promise<number> {
  const name = `ipcc-${getpid()}-bulk`;
  const segment = Segment.create(name, FIRST_FRAME + SLOTS * FRAME);
  try {
    const full = AtomicsRing.init(segment, FULL, SLOTS);
    const free = AtomicsRing.init(segment, FREE, SLOTS);
    segment.bytes(FIRST_FRAME, SLOTS * FRAME).fill(0); // map every page now, not while timed
    const child = startProcess(import.meta.url, ['consumer', 'shm', String(frames), name]);
    full.put(-1); // the start line: the consumer takes it once it is up ...
    free.take(); // ... and echoes it on the free ring
    const start = performance.now();
    for (let k = 0; k < frames; k++) {
      // the first frames are free from the start; later ones, once the consumer gives them back
      const offset = k < SLOTS ? FIRST_FRAME + k * FRAME : free.take();
      segment.bytes(offset, FRAME).fill(fillOf(k)); // written in place: no copy follows
      full.put(offset);
    }
    for (let k = Math.max(0, frames - SLOTS); k < frames; k++) free.take(); // the last frames were read
    const seconds = (performance.now() - start) / 1000;
    await exited(child);
    return seconds;
  } finally {
    segment.close();
    Segment.unlink(name);
  }
}

/** pipe(2): the frame is copied into the kernel and out again. */
async function throughPipe(frames: number): Promise<number> {
  const [toChildRead, toChildWrite] = pipe();
  const [fromChildRead, fromChildWrite] = pipe();
  const child = startProcess(import.meta.url, ['consumer', 'pipe', String(frames)], {
    stdio: ['ignore', 'inherit', 'inherit', toChildRead, fromChildWrite],
  });
  close(toChildRead);
  close(fromChildWrite);
  try {
    const frame = new Uint8Array(FRAME).fill(0); // every page mapped before the clock starts
    read(fromChildRead, 1); // the start line
    const start = performance.now();
    for (let k = 0; k < frames; k++) {
      frame.fill(fillOf(k));
      for (let sent = 0; sent < FRAME; ) sent += write(toChildWrite, frame.subarray(sent));
    }
    read(fromChildRead, 1); // the consumer has checked every byte
    const seconds = (performance.now() - start) / 1000;
    await exited(child);
    return seconds;
  } finally {
    close(toChildWrite);
    close(fromChildRead);
  }
}

/** A Unix domain socket through node:net: two copies, and the event loop at each end. */
async function throughSocket(frames: number): Promise<number> {
  const path = join(tmpdir(), `ipcc-${getpid()}-bulk.sock`);
  const server = createServer();
  server.listen(path);
  await once(server, 'listening');
  try {
    const child = startProcess(import.meta.url, ['consumer', 'unix', String(frames), path]);
    const [socket] = (await once(server, 'connection')) as [Socket];
    const frame = Buffer.alloc(FRAME); // zero-filled: every page mapped before the clock starts
    await once(socket, 'data'); // the start line
    const start = performance.now();
    for (let k = 0; k < frames; k++) {
      frame.fill(fillOf(k));
      if (!socket.write(frame)) await once(socket, 'drain'); // the frame is ours again once drained
    }
    await once(socket, 'data'); // the consumer has checked every byte
    const seconds = (performance.now() - start) / 1000;
    socket.end();
    await exited(child);
    return seconds;
  } finally {
    server.close();
  }
}

/** GB/s of `frames` frames of 16 MiB each way, one after the other. */
export async function measureBulk(frames = 8): Promise<BulkResult[]> {
  const ways: [string, (frames: number) => Promise<number>][] = [
    ['in place (shared memory, an offset crosses)', inPlace],
    ['pipe(2)', throughPipe],
    ['Unix domain socket', throughSocket],
  ];
  const results: BulkResult[] = [];
  for (const [way, run] of ways)
    results.push({ way, gbPerSecond: (frames * FRAME) / (await run(frames)) / 1e9 });
  return results;
}

/** The consumer: checks every byte of every frame, however it came. */
async function consume(way: string, frames: number, rest: string[]): Promise<void> {
  if (way === 'shm') {
    const segment = Segment.open(rest[0]);
    const full = new AtomicsRing(segment, FULL);
    const free = new AtomicsRing(segment, FREE);
    check(segment.bytes(FIRST_FRAME, SLOTS * FRAME), 0); // map every page now, not while timed
    free.put(full.take()); // echo the start line
    for (let k = 0; k < frames; k++) {
      const offset = full.take();
      check(segment.bytes(offset, FRAME), fillOf(k)); // read where it lies
      free.put(offset);
    }
    segment.close();
  } else if (way === 'pipe') {
    write(4, Uint8Array.of(1)); // the start line
    for (let k = 0; k < frames; k++)
      for (let got = 0; got < FRAME; ) {
        const chunk = read(3, Math.min(1 << 20, FRAME - got));
        check(chunk, fillOf(k));
        got += chunk.length;
      }
    write(4, Uint8Array.of(2));
  } else {
    const socket = connect(rest[0]);
    await once(socket, 'connect');
    socket.write(Uint8Array.of(1)); // the start line
    let k = 0;
    let got = 0;
    socket.on('data', (chunk: Buffer) => {
      for (let at = 0; at < chunk.length; ) {
        const part = chunk.subarray(at, at + Math.min(chunk.length - at, FRAME - got));
        check(part, fillOf(k));
        at += part.length;
        got += part.length;
        if (got === FRAME) [k, got] = [k + 1, 0];
      }
      if (k === frames) socket.end(Uint8Array.of(2));
    });
    await once(socket, 'close');
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'consumer')
  await consume(process.argv[3], Number(process.argv[4]), process.argv.slice(5));
