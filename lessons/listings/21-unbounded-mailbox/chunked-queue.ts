// A one-thread sketch of the unbounded mailbox's storage (no lock, no waiting):
// messages in chunk segments named `${prefix}-${generation}`, created when the newest
// is full, unlinked when read to the end or when the queue is empty; ENOMEM at a limit.
import { Segment, ShimError } from '@ipc-course/shim';

export class ChunkedQueue {
  #chunks: Segment[] = []; // oldest first
  #next = 0; // generation of the next chunk
  #head = 0; // slots read in the oldest chunk
  #tail = 0; // slots filled in the newest chunk
  #count = 0;
  constructor(
    readonly prefix: string,
    readonly chunkMessages: number,
    readonly slotBytes: number,
    readonly maxTotalBytes: number,
  ) {}

  send(message: Uint8Array): void {
    if (this.#chunks.length === 0 || this.#tail === this.chunkMessages) {
      const bytes = this.chunkMessages * this.slotBytes;
      if ((this.#chunks.length + 1) * bytes > this.maxTotalBytes)
        throw new ShimError(
          'ENOMEM',
          `a chunk more would pass maxTotalBytes ${this.maxTotalBytes}`,
        );
      if (this.#chunks.length === 0) this.#head = 0;
      this.#chunks.push(Segment.create(`${this.prefix}-${this.#next++}`, bytes));
      this.#tail = 0;
    }
    const chunk = this.#chunks[this.#chunks.length - 1],
      at = this.#tail++ * this.slotBytes;
    chunk.write(at + 4, message);
    chunk.store(at / 4, message.length);
    this.#count++;
  }

  receive(): Uint8Array | undefined {
    if (this.#count === 0) return undefined;
    const chunk = this.#chunks[0],
      at = this.#head++ * this.slotBytes;
    const message = chunk.read(at + 4, chunk.load(at / 4));
    if (--this.#count === 0 || this.#head === this.chunkMessages) {
      // every message in it was received
      Segment.unlink(chunk.name);
      chunk.close();
      this.#chunks.shift();
      this.#head = 0;
    }
    return message;
  }
}
