// The heart of a shared-memory pipe, for lessons/12-shm-pipe.md: a ring of
// bytes for ONE writer and ONE reader. No close, no timeouts, no partial
// writes, no argument checks: the exercise adds those.
//
// Cells from byteOffset: TAIL (bytes ever written, mod 2C; only the writer
// moves it), HEAD (bytes ever read, mod 2C; only the reader moves it),
// READER_SLEEPS, WRITER_SLEEPS; the ring's C bytes start at byteOffset + 16.
import type { Segment } from '@ipc-course/shim';

const TAIL = 0,
  HEAD = 1,
  READER_SLEEPS = 2,
  WRITER_SLEEPS = 3;

export class ByteRing {
  readonly segment: Segment;
  readonly capacity: number;
  readonly #base: number;
  readonly #ring: number;
  /** Attaches to the ring at byteOffset; its cells must start zeroed (a new segment is). */
  constructor(segment: Segment, byteOffset: number, capacity: number) {
    this.#base = segment.cellIndex(byteOffset, 4 + Math.ceil(capacity / 4));
    this.#ring = byteOffset + 16;
    this.segment = segment;
    this.capacity = capacity;
  }
  #used = (tail: number, head: number) => (tail - head + 2 * this.capacity) % (2 * this.capacity);

  /** The writer's: every byte goes in, in pieces if the ring is smaller; sleeps while it is full. */
  write(bytes: Uint8Array): void {
    const { segment, capacity: C } = this;
    let tail = segment.load(this.#base + TAIL);
    for (let written = 0; written < bytes.length; ) {
      const head = segment.load(this.#base + HEAD);
      const room = C - this.#used(tail, head);
      if (room === 0) {
        segment.store(this.#base + WRITER_SLEEPS, 1); // announce, then sleep while HEAD is still `head`
        segment.wait(this.#base + HEAD, head);
        segment.store(this.#base + WRITER_SLEEPS, 0);
        continue;
      }
      const count = Math.min(room, bytes.length - written);
      const at = tail % C,
        first = Math.min(count, C - at);
      segment.write(this.#ring + at, bytes.subarray(written, written + first)); // up to the end ...
      if (count > first)
        segment.write(this.#ring, bytes.subarray(written + first, written + count)); // ... then from 0
      tail = (tail + count) % (2 * C);
      segment.store(this.#base + TAIL, tail); // publish after the copy
      if (segment.load(this.#base + READER_SLEEPS)) segment.notify(this.#base + TAIL, 1); // look after publishing
      written += count;
    }
  }

  /** The reader's: 1..maxBytes bytes, what is there; sleeps while the ring is empty. */
  read(maxBytes: number): Uint8Array {
    const { segment, capacity: C } = this;
    const head = segment.load(this.#base + HEAD);
    let tail = segment.load(this.#base + TAIL);
    while (this.#used(tail, head) === 0) {
      segment.store(this.#base + READER_SLEEPS, 1);
      segment.wait(this.#base + TAIL, tail);
      segment.store(this.#base + READER_SLEEPS, 0);
      tail = segment.load(this.#base + TAIL);
    }
    const count = Math.min(this.#used(tail, head), maxBytes);
    const at = head % C,
      first = Math.min(count, C - at);
    const bytes = new Uint8Array(count);
    bytes.set(segment.read(this.#ring + at, first));
    if (count > first) bytes.set(segment.read(this.#ring, count - first), first);
    segment.store(this.#base + HEAD, (head + count) % (2 * C)); // hand the room back after the copy
    if (segment.load(this.#base + WRITER_SLEEPS)) segment.notify(this.#base + HEAD, 1);
    return bytes;
  }
}
