// Subject of `npm run bench -- buffers`: the reference BoundedBuffer
// (solutions/10-bounded-buffer), int32 values to a peer process (value-subject.ts).
import { BoundedBuffer } from '../../../solutions/10-bounded-buffer/bounded-buffer.ts';
import { runValuePeer, valueSubject, type ValueBuffer } from '../value-subject.ts';

const buffer: ValueBuffer = {
  byteLength: (capacity) => BoundedBuffer.byteLength(capacity),
  init: (segment, byteOffset, capacity) => BoundedBuffer.init(segment, byteOffset, capacity),
  attach: (segment, byteOffset) => new BoundedBuffer(segment, byteOffset),
};

export const subject = valueSubject(import.meta.url, buffer, {
  name: 'BoundedBuffer (reference, 10)',
  label: 'bounded-buffer',
  capacity: 1024,
  messages: 300_000,
});
runValuePeer(import.meta.url, buffer);
