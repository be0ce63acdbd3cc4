// The shape of a buffers-bench subject that carries int32 values through a
// shared object with put/take (BoundedBuffer, SpscRing): a data buffer from
// this process to a peer process, and a 1-slot buffer back for the peer's
// start line and its final reply. The subject's own file is the peer too.
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Segment, getpid, startProcess } from '@ipc-course/shim';
import type { Subject } from './buffers.ts';

export interface ValueEnd {
  put(value: number): unknown;
  take(): number | undefined;
}
export interface ValueBuffer {
  byteLength(capacity: number): number;
  init(segment: Segment, byteOffset: number, capacity: number): ValueEnd;
  attach(segment: Segment, byteOffset: number): ValueEnd;
}

const REPLY_OFFSET = 64;
const DATA_OFFSET = 128;

export function valueSubject(
  file: string,
  buffer: ValueBuffer,
  about: { name: string; label: string; capacity: number; messages: number },
): Subject {
  return {
    name: about.name,
    item: `int32 (4 B), capacity ${about.capacity}`,
    messages: about.messages,
    async open(count) {
      const name = `ipcc-${getpid()}-bench-${about.label}`;
      const segment = Segment.create(name, DATA_OFFSET + buffer.byteLength(about.capacity));
      const reply = buffer.init(segment, REPLY_OFFSET, 1);
      const data = buffer.init(segment, DATA_OFFSET, about.capacity);
      const child = startProcess(file, ['peer', name, String(count)]);
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
}

/** In the subject's file: when started as the peer, take `count` values, then reply. */
export function runValuePeer(file: string, buffer: ValueBuffer): void {
  if (process.argv[1] !== fileURLToPath(file) || process.argv[2] !== 'peer') return;
  const segment = Segment.open(process.argv[3]);
  const count = Number(process.argv[4]);
  const reply = buffer.attach(segment, REPLY_OFFSET);
  const data = buffer.attach(segment, DATA_OFFSET);
  reply.put(1); // the start line
  for (let i = 0; i < count; i++) data.take();
  reply.put(count);
  segment.close();
}
