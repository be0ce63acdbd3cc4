// Subject of `npm run bench -- buffers`: the ring of `npm run bench -- ipc`
// (../ipc/ring.ts): one producer, one consumer, no lock, each index written by
// one side only; a side polls 100 times before it sleeps. Not a course solution:
// a yardstick for what a lock-free ring gets out of the same shim.
import { ring } from '../ipc.ts';
import { CAPACITY } from '../ipc/ring.ts';
import type { Subject } from '../buffers.ts';

export const subject: Subject = {
  name: 'ring of bench ipc (no lock)',
  item: `8-byte messages, capacity ${CAPACITY}`,
  messages: ring.messages,
  open: (count) => ring.open('oneway', count),
};
