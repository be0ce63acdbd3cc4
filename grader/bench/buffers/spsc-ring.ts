// Subject of `npm run bench -- buffers`: the reference SpscRing
// (solutions/09-spsc-ring), int32 values to a peer process (value-subject.ts).
import { SpscRing } from '../../../solutions/09-spsc-ring/spsc-ring.ts';
import { runValuePeer, valueSubject, type ValueBuffer } from '../value-subject.ts';

const buffer: ValueBuffer = {
  byteLength: (capacity) => SpscRing.byteLength(capacity),
  init: (segment, byteOffset, capacity) => SpscRing.init(segment, byteOffset, capacity),
  attach: (segment, byteOffset) => new SpscRing(segment, byteOffset),
};

export const subject = valueSubject(import.meta.url, buffer, {
  name: 'SpscRing (reference, 09)',
  label: 'spsc-ring',
  capacity: 1024,
  messages: 1_000_000,
});
runValuePeer(import.meta.url, buffer);
