// BoundedBuffer: a FIFO of int32 values with room for `capacity`, shared by any
// number of producer and consumer threads and processes. put blocks while it is
// full, take while it is empty; close() ends it. Layout: README.md, "The cells".
//
// Invariants (whenever no call is inside its critical section):
//   0 <= size <= capacity; the values sit in put order, each taken at most once.
//   A caller sleeps only after it has made sure a waker will see it, and only
//   while its condition (room, or a value) still does not hold.
// TODO: design your cells, then write everything below marked TODO. Task:
// README.md; stuck? hints.md. Run: npm test -- exercises/10-bounded-buffer
import { Segment, ShimError } from '@ipc-course/shim';

const HEADER = 9; // TODO: the cells before the slots, if your layout needs another number

export class BoundedBuffer {
  /** Bytes a buffer of `capacity` values needs: EINVAL unless capacity is an integer >= 1. */
  static byteLength(capacity: number): number {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 24) {
      throw new ShimError(
        'EINVAL',
        `BoundedBuffer: capacity must be an integer from 1 to ${1 << 24}, got ${String(capacity)}`,
      );
    }
    return (HEADER + capacity) * 4;
  }

  /** Lays out an empty, open buffer; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number, capacity: number): BoundedBuffer {
    // TODO: check capacity (byteLength does), zero every cell, store the capacity, attach.
    throw new Error('TODO: BoundedBuffer.init');
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly capacity: number;

  /** Attaches to a buffer that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    // TODO: read the capacity from its cell; check the offset with segment.cellIndex.
    this.segment = segment;
    this.byteOffset = byteOffset;
    this.capacity = 0;
  }

  /** Values in the buffer now, 0..capacity: a consistent snapshot. */
  get size(): number {
    throw new Error('TODO: BoundedBuffer.size');
  }

  /** Blocks while full; true once `value` (an int32, else EINVAL) is in, false on timeout. ECLOSED once closed. */
  put(value: number, timeoutMs: number = Infinity): boolean {
    // TODO: lock; `while` closed / full: wait for room; write the slot and count it as one step; wake a taker.
    throw new Error('TODO: BoundedBuffer.put');
  }
  /** Blocks while empty; the oldest value, or undefined on timeout or once closed and drained. */
  take(timeoutMs: number = Infinity): number | undefined {
    throw new Error('TODO: BoundedBuffer.take');
  }
  tryPut(value: number): boolean {
    throw new Error('TODO: BoundedBuffer.tryPut'); // put, never blocking; ECLOSED once closed
  }
  tryTake(): number | undefined {
    throw new Error('TODO: BoundedBuffer.tryTake'); // take, never blocking
  }

  /** put() as a Promise: sleeps with segment.waitAsync, never segment.wait. Rejects with ECLOSED. */
  async putAsync(value: number, timeoutMs: number = Infinity): Promise<boolean> {
    throw new Error('TODO: BoundedBuffer.putAsync');
  }
  async takeAsync(timeoutMs: number = Infinity): Promise<number | undefined> {
    throw new Error('TODO: BoundedBuffer.takeAsync');
  }

  /** No more puts; takes drain what is left, then return undefined at once. Wakes every sleeper. */
  close(): void {
    throw new Error('TODO: BoundedBuffer.close');
  }

  /** null if every cell holds a legal value, else one line describing them all. */
  checkInvariants(): string | null {
    throw new Error('TODO: BoundedBuffer.checkInvariants');
  }
}
