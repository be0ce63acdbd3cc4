// ShmPipe: pipe(2) rebuilt over shared memory. A byte stream from ONE writer to ONE
// reader (each any thread or process) through a ring of `capacity` bytes in a segment.
// Layout: README.md, "The cells"; the bytes of the ring start at byteOffset + 32.
//
// Invariants: 0 <= used <= capacity; the unread bytes sit in the ring in the order
//   they were written. Only the writer moves TAIL, only the reader moves HEAD.
//   A side sleeps only after it has made sure the other side will wake it.
// TODO: write everything below marked TODO. Task: README.md; stuck? hints.md.
// Run: npm test -- exercises/12-shm-pipe
import { Segment, ShimError } from '@ipc-course/shim';

const HEADER_BYTES = 32,
  MAX_CAPACITY = 1 << 24; // HEADER_BYTES: the cells before the ring's bytes

export class ShmPipe {
  /** Bytes a pipe of `capacityBytes` needs; EINVAL unless an integer from 1 to 2^24. */
  static byteLength(capacityBytes: number): number {
    if (!Number.isInteger(capacityBytes) || capacityBytes < 1 || capacityBytes > MAX_CAPACITY) {
      throw new ShimError(
        'EINVAL',
        `ShmPipe: capacityBytes must be an integer from 1 to ${MAX_CAPACITY}, got ${String(capacityBytes)}`,
      );
    }
    return HEADER_BYTES + Math.ceil(capacityBytes / 4) * 4;
  }

  /** Lays out an empty pipe, both ends open; call once, before either side uses it. */
  static init(segment: Segment, byteOffset: number, capacityBytes: number): ShmPipe {
    // TODO: check the capacity (byteLength does), zero the header cells, store the capacity, attach.
    throw new Error('TODO: ShmPipe.init');
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly capacity: number;

  /** Attaches to a pipe that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    // TODO: read the capacity from its cell; check the offset with segment.cellIndex.
    this.segment = segment;
    this.byteOffset = byteOffset;
    this.capacity = 0;
  }

  /**
   * The writer's. Without partial: writes every byte (in pieces if it must), sleeping while
   * the pipe is full; returns bytes.length. With partial: writes what fits, sleeping only
   * while the pipe is completely full; returns the count. On timeout: the count so far.
   * EPIPE once the reader has closed (also for a write asleep now); ECLOSED after closeWriter.
   */
  write(bytes: Uint8Array, options: { partial?: boolean; timeoutMs?: number } = {}): number {
    // TODO: copy what fits at TAIL % capacity (in two pieces across the end), THEN move TAIL; wake a sleeping reader.
    throw new Error('TODO: ShmPipe.write');
  }

  /**
   * The reader's. Sleeps while the pipe is empty and the writer open; then returns 1..maxBytes
   * bytes. An empty Uint8Array at end of file (writer closed AND every byte read); undefined on timeout.
   */
  read(maxBytes: number, timeoutMs: number = Infinity): Uint8Array | undefined {
    // TODO: copy up to maxBytes from HEAD % capacity, THEN move HEAD; wake a sleeping writer.
    throw new Error('TODO: ShmPipe.read');
  }

  /** read() as a Promise: sleeps with segment.waitAsync, never segment.wait. */
  async readAsync(maxBytes: number, timeoutMs: number = Infinity): Promise<Uint8Array | undefined> {
    throw new Error('TODO: ShmPipe.readAsync');
  }

  /** The writer's: no more bytes. The reader drains what is left, then reads end of file. */
  closeWriter(): void {
    throw new Error('TODO: ShmPipe.closeWriter'); // wake a reader asleep on an empty pipe
  }

  /** The reader's: the next write, and any write asleep now, throws EPIPE. */
  closeReader(): void {
    throw new Error('TODO: ShmPipe.closeReader'); // wake a writer asleep on a full pipe
  }

  /** null if every cell holds a legal value, else one line describing them all. */
  checkInvariants(): string | null {
    throw new Error('TODO: ShmPipe.checkInvariants');
  }
}
