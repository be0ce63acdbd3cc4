// SpscRing: a lock-free FIFO of int32 values for ONE producer and ONE consumer (threads or
// processes), in a shared segment. It holds exactly `capacity` values. Layout: README.md.
//
// Invariants:
//   0 <= size <= capacity; the values sit in push order, each popped exactly once.
//   Only the producer writes TAIL, only the consumer writes HEAD: no lock.
//   A slot is written before the TAIL that publishes it, and read before the HEAD that frees it.
//   A caller sleeps only after it has announced itself, so the other side knows to notify.
// TODO: write everything below marked TODO. Task: README.md; stuck? hints.md.
// Run: npm test -- exercises/09-spsc-ring
import { Segment, ShimError } from '@ipc-course/shim';

const HEADER = 5; // TODO: the cells before the slots, if your layout needs another number

export class SpscRing {
  /** Bytes a ring of `capacity` values needs: EINVAL unless capacity is an integer from 1 to 2^24. */
  static byteLength(capacity: number): number {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 24) {
      throw new ShimError(
        'EINVAL',
        `SpscRing: capacity must be an integer from 1 to ${1 << 24}, got ${String(capacity)}`,
      );
    }
    return (HEADER + capacity) * 4;
  }

  /** Lays out an empty ring; call once, before the producer and the consumer attach. */
  static init(segment: Segment, byteOffset: number, capacity: number): SpscRing {
    // TODO: check capacity (byteLength does), zero every cell, store the capacity, attach.
    throw new Error('TODO: SpscRing.init');
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly capacity: number;

  /** Attaches to a ring that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    // TODO: read the capacity from its cell; check the offset with segment.cellIndex.
    this.segment = segment;
    this.byteOffset = byteOffset;
    this.capacity = 0;
  }

  /** Values in the ring now, 0..capacity. */
  get size(): number {
    throw new Error('TODO: SpscRing.size');
  }

  /** Producer only. Appends `value` (an int32, else EINVAL) unless the ring is full; never blocks. */
  push(value: number): boolean {
    // TODO: full? write the slot, THEN publish it in TAIL; notify the consumer only if it may sleep.
    throw new Error('TODO: SpscRing.push');
  }

  /** Consumer only. The oldest value, or undefined when the ring is empty; never blocks. */
  pop(): number | undefined {
    // TODO: load TAIL, THEN read the slot, THEN free it in HEAD; notify the producer only if it may sleep.
    throw new Error('TODO: SpscRing.pop');
  }

  /** Producer only. Sleeps in the futex while full; false once `timeoutMs` passed (0: try once). */
  put(value: number, timeoutMs: number = Infinity): boolean {
    // TODO: loop: read HEAD, try to push, announce yourself, wait on HEAD for the value you read.
    throw new Error('TODO: SpscRing.put');
  }

  /** Consumer only. Sleeps in the futex while empty; undefined once `timeoutMs` passed (0: try once). */
  take(timeoutMs: number = Infinity): number | undefined {
    throw new Error('TODO: SpscRing.take');
  }

  /** null if every cell holds a legal value, else one line describing them all. */
  checkInvariants(): string | null {
    throw new Error('TODO: SpscRing.checkInvariants');
  }
}
