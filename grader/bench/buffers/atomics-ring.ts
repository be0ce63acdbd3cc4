// Subject of `npm run bench -- buffers`: the yardstick ring (native/atomics-ring.ts),
// exercise 09's layout and tricks on raw JS Atomics, int32 values to a peer process.
// The reference SpscRing's goal is to stay within 1.5x of it.
import { AtomicsRing } from '@ipc-course/shim';
import { runValuePeer, valueSubject, type ValueBuffer } from '../value-subject.ts';

const buffer: ValueBuffer = {
  byteLength: (capacity) => AtomicsRing.byteLength(capacity),
  init: (segment, byteOffset, capacity) => AtomicsRing.init(segment, byteOffset, capacity),
  attach: (segment, byteOffset) => new AtomicsRing(segment, byteOffset),
};

export const subject = valueSubject(import.meta.url, buffer, {
  name: 'AtomicsRing (yardstick, raw Atomics)',
  label: 'atomics-ring',
  capacity: 1024,
  messages: 2_000_000,
});
runValuePeer(import.meta.url, buffer);
