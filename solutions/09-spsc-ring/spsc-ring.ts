// SpscRing: a lock-free FIFO of int32 values for ONE producer and ONE consumer (threads or
// processes), in a shared segment. No lock: each index cell has exactly one writer.
// It holds exactly `capacity` values: free-running counters, no sacrificed slot.
//
// Cells (byteOffset + 4 * i):
//   0 CAPACITY        C, written once by init
//   1 TAIL            values ever pushed, modulo 2C. Written by the producer only.
//   2 HEAD            values ever popped, modulo 2C. Written by the consumer only.
//                     Wrap rule: a multiple of C keeps `% C` continuous; 2C keeps full (C) apart from empty (0)
//   3 PRODUCER_SLEEPS 1 while the producer may be asleep on HEAD (written by the producer)
//   4 CONSUMER_SLEEPS 1 while the consumer may be asleep on TAIL (written by the consumer)
//   5 ...             the C slots: value number n lives in slot n % C
// Invariants: size = (TAIL - HEAD) mod 2C, 0 <= size <= C; the values are slots HEAD .. TAIL - 1
//   (mod C), oldest first. The producer writes a slot only while it is outside them, the consumer
//   reads one only while it is inside.
// Publication: the producer writes the slot, THEN stores TAIL (the release); the consumer loads
//   TAIL, THEN reads the slot (the acquire). Mirror: the consumer reads the slot, THEN stores HEAD.
//   Segment cells are JS Atomics (sequentially consistent), so these orders hold across CPUs.
import { Segment, ShimError } from '@ipc-course/shim';

const CAPACITY = 0,
  TAIL = 1,
  HEAD = 2,
  PRODUCER_SLEEPS = 3,
  CONSUMER_SLEEPS = 4;
const HEADER = 5,
  MAX_CAPACITY = 1 << 24;

function checkTimeout(timeoutMs: unknown, method: string): number {
  if (typeof timeoutMs === 'number' && timeoutMs >= 0) return timeoutMs; // NaN fails too
  throw new ShimError(
    'EINVAL',
    `SpscRing.${method}: timeoutMs must be a number >= 0 (or Infinity), got ${String(timeoutMs)}`,
  );
}
function checkValue(value: unknown, method: string): number {
  if (typeof value === 'number' && (value | 0) === value) return value;
  throw new ShimError('EINVAL', `SpscRing.${method}: value must be an int32, got ${String(value)}`);
}

export class SpscRing {
  /** Bytes a ring of `capacity` values needs: the header cells, then one cell per slot. */
  static byteLength(capacity: number): number {
    const ok = Number.isInteger(capacity) && capacity >= 1 && capacity <= MAX_CAPACITY;
    if (!ok)
      throw new ShimError(
        'EINVAL',
        `SpscRing: capacity must be an integer from 1 to ${MAX_CAPACITY}, got ${String(capacity)}`,
      );
    return (HEADER + capacity) * 4;
  }
  /** Lays out an empty ring; call once, before the producer and the consumer attach. */
  static init(segment: Segment, byteOffset: number, capacity: number): SpscRing {
    const base = segment.cellIndex(byteOffset, SpscRing.byteLength(capacity) / 4);
    for (let cell = 0; cell < HEADER + capacity; cell++) segment.store(base + cell, 0);
    segment.store(base + CAPACITY, capacity);
    return new SpscRing(segment, byteOffset);
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly capacity: number;
  readonly #base: number; // cell index of CAPACITY
  readonly #wrap: number; // 2C: where the counters wrap

  /** Attaches to a ring that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    const capacity = segment.load(segment.cellIndex(byteOffset, HEADER) + CAPACITY);
    this.#base = segment.cellIndex(byteOffset, SpscRing.byteLength(capacity) / 4);
    this.segment = segment;
    this.byteOffset = byteOffset;
    this.capacity = capacity;
    this.#wrap = 2 * capacity;
  }

  #load = (cell: number) => this.segment.load(this.#base + cell);
  #store = (cell: number, value: number) => this.segment.store(this.#base + cell, value);

  /** Values in the ring now. TAIL read twice around HEAD: equal, so the pair held at one instant. */
  get size(): number {
    for (;;) {
      // retries only while the producer moves on: lock-free, not a wait
      const tail = this.#load(TAIL);
      const head = this.#load(HEAD);
      if (this.#load(TAIL) === tail) return (tail - head + this.#wrap) % this.#wrap;
    }
  }

  /** Producer only. Appends `value` unless the ring is full; never blocks. */
  push(value: number): boolean {
    return this.#push(checkValue(value, 'push'), this.#load(HEAD));
  }
  /** Consumer only. The oldest value, or undefined when the ring is empty; never blocks. */
  pop(): number | undefined {
    return this.#pop(this.#load(TAIL));
  }

  /** Producer only. push, sleeping while the ring is full; false if `timeoutMs` passed first (0: try once). */
  put(value: number, timeoutMs: number = Infinity): boolean {
    checkValue(value, 'put');
    const deadline = performance.now() + checkTimeout(timeoutMs, 'put');
    for (;;) {
      const head = this.#load(HEAD); // read before the check: a pop after it changes HEAD
      if (this.#push(value, head)) return true;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false; // nothing pushed
      this.#store(PRODUCER_SLEEPS, 1); // announce, then sleep (partner: #pop's load of PRODUCER_SLEEPS)
      this.segment.wait(this.#base + HEAD, head, remaining); // returns at once if a pop came since `head`
      this.#store(PRODUCER_SLEEPS, 0);
    }
  }
  /** Consumer only. pop, sleeping while the ring is empty; undefined if `timeoutMs` passed first (0: try once). */
  take(timeoutMs: number = Infinity): number | undefined {
    const deadline = performance.now() + checkTimeout(timeoutMs, 'take');
    for (;;) {
      const tail = this.#load(TAIL); // read before the check: a push after it changes TAIL
      const value = this.#pop(tail);
      if (value !== undefined) return value;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return undefined;
      this.#store(CONSUMER_SLEEPS, 1); // announce, then sleep (partner: #push's load of CONSUMER_SLEEPS)
      this.segment.wait(this.#base + TAIL, tail, remaining);
      this.#store(CONSUMER_SLEEPS, 0);
    }
  }

  /** The fast path: four loads and stores, and a notify only when the consumer said it may sleep. */
  #push(value: number, head: number): boolean {
    const tail = this.#load(TAIL);
    if ((tail - head + this.#wrap) % this.#wrap === this.capacity) return false; // full: C values
    this.#store(HEADER + (tail % this.capacity), value); // write the value first ...
    this.#store(TAIL, (tail + 1) % this.#wrap); // ... then publish it (release): the consumer trusts TAIL
    // After the publish: a consumer that announced before it sees the flag here; one that
    // announces after it finds TAIL changed, and its wait returns at once.
    if (this.#load(CONSUMER_SLEEPS)) this.segment.notify(this.#base + TAIL, 1);
    return true;
  }
  #pop(tail: number): number | undefined {
    const head = this.#load(HEAD);
    if (head === tail) return undefined; // empty
    const value = this.#load(HEADER + (head % this.capacity)); // read the value first (TAIL loaded: acquire) ...
    this.#store(HEAD, (head + 1) % this.#wrap); // ... then hand the slot back to the producer
    if (this.#load(PRODUCER_SLEEPS)) this.segment.notify(this.#base + HEAD, 1);
    return value;
  }

  /** null if every cell holds a legal value, else one line with all of them. Read at rest. */
  checkInvariants(): string | null {
    const [capacity, tail, head, producerSleeps, consumerSleeps] = Array.from(
      { length: HEADER },
      (_, i) => this.#load(i),
    );
    const size = (tail - head + this.#wrap) % this.#wrap;
    const flags = [producerSleeps, consumerSleeps].every((flag) => flag === 0 || flag === 1);
    const legal =
      capacity === this.capacity &&
      Math.min(tail, head) >= 0 &&
      Math.max(tail, head) < this.#wrap &&
      size <= capacity &&
      flags;
    if (legal) return null;
    return `SpscRing segment="${this.segment.name}" byteOffset=${this.byteOffset} capacity=${capacity} tail=${tail} head=${head} size=${size} producerSleeps=${producerSleeps} consumerSleeps=${consumerSleeps}`;
  }
}
