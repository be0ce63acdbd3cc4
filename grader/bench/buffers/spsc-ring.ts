// Subject of `npm run bench -- buffers`: the reference SpscRing
// (solutions/09-spsc-ring) carrying int32 values (4 bytes each) from this
// process to a peer process; a second 1-slot ring, the other way, carries the
// peer's start line and its final reply. This file is also that peer, started
// with argv: peer, segment name, count.
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { Segment, getpid, startProcess } from '@ipc-course/shim';
import { SpscRing } from '../../../solutions/09-spsc-ring/spsc-ring.ts';
import type { Subject } from '../buffers.ts';

const CAPACITY = 1024;
const REPLY_OFFSET = 64;
const DATA_OFFSET = 128;
const BYTES = DATA_OFFSET + SpscRing.byteLength(CAPACITY);

export const subject: Subject = {
  name: 'SpscRing (reference, 09)',
  item: `int32 (4 B), capacity ${CAPACITY}`,
  messages: 1_000_000,
  async open(count) {
    const name = `ipcc-${getpid()}-bench-spsc-ring`;
    const segment = Segment.create(name, BYTES);
    const reply = SpscRing.init(segment, REPLY_OFFSET, 1);
    const data = SpscRing.init(segment, DATA_OFFSET, CAPACITY);
    const child = startProcess(import.meta.url, ['peer', name, String(count)]);
    return {
      send: () => void data.put(1),
      receive: () => void reply.take(),
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
  const count = Number(process.argv[4]);
  const reply = new SpscRing(segment, REPLY_OFFSET);
  const data = new SpscRing(segment, DATA_OFFSET);
  reply.put(1); // the start line
  for (let i = 0; i < count; i++) data.take();
  reply.put(count);
  segment.close();
}
