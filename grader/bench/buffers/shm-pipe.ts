// Subject of `npm run bench -- buffers`: the reference ShmPipe
// (solutions/11-shm-pipe) carrying 8-byte items, batched into 4 KiB writes,
// from this process to a peer process; a second small ShmPipe, the other way,
// carries the peer's start line and its final reply. This file is also that
// peer, started with argv: peer, segment name, count.
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { Segment, getpid, startProcess } from '@ipc-course/shim';
import { ShmPipe } from '../../../solutions/11-shm-pipe/shm-pipe.ts';
import type { Subject } from '../buffers.ts';

const ITEM = 8;
const BATCH = 4096;
const CAPACITY = 64 * 1024;
const REPLY_OFFSET = 64;
const DATA_OFFSET = REPLY_OFFSET + ShmPipe.byteLength(64);
const BYTES = DATA_OFFSET + ShmPipe.byteLength(CAPACITY);

export const subject: Subject = {
  name: 'ShmPipe (reference, 11)',
  item: `8 B, in 4 KiB writes, capacity 64 KiB`,
  messages: 2_000_000,
  async open(count) {
    const name = `ipcc-${getpid()}-bench-shm-pipe`;
    const segment = Segment.create(name, BYTES);
    const reply = ShmPipe.init(segment, REPLY_OFFSET, 64);
    const data = ShmPipe.init(segment, DATA_OFFSET, CAPACITY);
    const child = startProcess(import.meta.url, ['peer', name, String(count)]);
    const batch = new Uint8Array(BATCH);
    let filled = 0;
    const flush = () => {
      if (filled > 0) data.write(batch.subarray(0, filled));
      filled = 0;
    };
    return {
      send: () => {
        filled += ITEM; // the bytes themselves are whatever the batch holds: the cost is in moving them
        if (filled === BATCH) flush();
      },
      receive: () => {
        flush();
        reply.read(1);
      },
      async finish() {
        if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
        segment.close();
        Segment.unlink(name);
      },
    };
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'peer') {
  const segment = Segment.open(process.argv[3]);
  const bytes = Number(process.argv[4]) * ITEM;
  const reply = new ShmPipe(segment, REPLY_OFFSET);
  const data = new ShmPipe(segment, DATA_OFFSET);
  reply.write(Uint8Array.of(1)); // the start line
  for (let got = 0; got < bytes; ) got += data.read(BATCH)!.length;
  reply.write(Uint8Array.of(2));
  segment.close();
}
