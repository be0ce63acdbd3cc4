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
// Speed (lesson 09, "A fast ring"): push and pop touch 4 cells when the other side's index is
//   cached, read no clock and call no kernel unless the other side said it sleeps.
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
  readonly #wrap: number; // 2C: where the counters wrap
  readonly #base: number; // cell index of CAPACITY
  // Cell indexes, computed once: the fast path adds nothing to find a cell.
  readonly #tail: number;
  readonly #head: number;
  readonly #producerSleeps: number;
  readonly #consumerSleeps: number;
  readonly #slots: number;
  // The other side's index as this instance last read it: a bound that only gets more
  // cautious with age (the consumer only frees slots, the producer only fills them), so
  // it is re-read only when it says "full" (producer) or "empty" (consumer). Trusted only
  // while our own index is where this instance left it: another instance of the same
  // side (taking turns, as the contract allows) makes us re-read. One case escapes:
  // another instance moving our index by exactly a multiple of 2C between two of our
  // calls, which counters modulo 2C cannot show.
  #seenHead = 0;
  #seenTail = 0;
  #myTail = -1; // TAIL as this instance last stored it (-1: never)
  #myHead = -1;

  /** Attaches to a ring that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    const capacity = segment.load(segment.cellIndex(byteOffset, HEADER) + CAPACITY);
    const base = segment.cellIndex(byteOffset, SpscRing.byteLength(capacity) / 4);
    this.segment = segment;
    this.byteOffset = byteOffset;
    this.capacity = capacity;
    this.#wrap = 2 * capacity;
    this.#base = base;
    this.#tail = base + TAIL;
    this.#head = base + HEAD;
    this.#producerSleeps = base + PRODUCER_SLEEPS;
    this.#consumerSleeps = base + CONSUMER_SLEEPS;
    this.#slots = base + HEADER;
  }

  /** Values in the ring now. TAIL read twice around HEAD: equal, so the pair held at one instant. */
  get size(): number {
    for (;;) {
      // retries only while the producer moves on: lock-free, not a wait
      const tail = this.segment.load(this.#tail);
      const head = this.segment.load(this.#head);
      if (this.segment.load(this.#tail) === tail) return (tail - head + this.#wrap) % this.#wrap;
    }
  }

  /** Producer only. Appends `value` unless the ring is full; never blocks. */
  push(value: number): boolean {
    return this.#push(checkValue(value, 'push'));
  }
  /** Consumer only. The oldest value, or undefined when the ring is empty; never blocks. */
  pop(): number | undefined {
    return this.#pop();
  }

  /** Producer only. push, sleeping while the ring is full; false if `timeoutMs` passed first (0: try once). */
  put(value: number, timeoutMs: number = Infinity): boolean {
    checkValue(value, 'put');
    checkTimeout(timeoutMs, 'put');
    if (this.#push(value)) return true; // the common case reads no clock
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const head = this.segment.load(this.#head); // read before the check: a pop after it changes HEAD
      this.#seenHead = head;
      if (this.#push(value)) return true;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false; // nothing pushed
      this.segment.store(this.#producerSleeps, 1); // announce, then sleep (partner: #pop's load of PRODUCER_SLEEPS)
      this.segment.wait(this.#head, head, remaining); // returns at once if a pop came since `head`
      this.segment.store(this.#producerSleeps, 0);
    }
  }
  /** Consumer only. pop, sleeping while the ring is empty; undefined if `timeoutMs` passed first (0: try once). */
  take(timeoutMs: number = Infinity): number | undefined {
    checkTimeout(timeoutMs, 'take');
    const value = this.#pop(); // the common case reads no clock
    if (value !== undefined) return value;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const tail = this.segment.load(this.#tail); // read before the check: a push after it changes TAIL
      this.#seenTail = tail;
      const value = this.#pop();
      if (value !== undefined) return value;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return undefined;
      this.segment.store(this.#consumerSleeps, 1); // announce, then sleep (partner: #push's load of CONSUMER_SLEEPS)
      this.segment.wait(this.#tail, tail, remaining);
      this.segment.store(this.#consumerSleeps, 0);
    }
  }

  /** (tail - head) mod 2C, with a compare instead of `%`: a division costs more than a cell. */
  #count(tail: number, head: number): number {
    return tail >= head ? tail - head : tail - head + this.#wrap;
  }

  /** The fast path: load TAIL, store the slot and TAIL, load the flag; HEAD only when it looks full. */
  #push(value: number): boolean {
    const segment = this.segment;
    const tail = segment.load(this.#tail);
    if (tail !== this.#myTail) this.#seenHead = segment.load(this.#head); // another producer instance moved it
    if (this.#count(tail, this.#seenHead) >= this.capacity) {
      // full as last seen (or more than full: a stale view), so look again
      this.#seenHead = segment.load(this.#head);
      if (this.#count(tail, this.#seenHead) === this.capacity) return false;
    }
    segment.store(this.#slots + (tail < this.capacity ? tail : tail - this.capacity), value); // the value first ...
    const next = tail + 1 === this.#wrap ? 0 : tail + 1;
    segment.store(this.#tail, next); // ... then publish it (release): the consumer trusts TAIL
    this.#myTail = next;
    // After the publish: a consumer that announced before it sees the flag here; one that
    // announces after it finds TAIL changed, and its wait returns at once.
    if (segment.load(this.#consumerSleeps)) segment.notify(this.#tail, 1);
    return true;
  }
  #pop(): number | undefined {
    const segment = this.segment;
    const head = segment.load(this.#head);
    if (head !== this.#myHead) this.#seenTail = segment.load(this.#tail); // another consumer instance moved it
    if (head === this.#seenTail) {
      this.#seenTail = segment.load(this.#tail); // empty as last seen: look again (the acquire)
      if (head === this.#seenTail) return undefined;
    }
    const value = segment.load(this.#slots + (head < this.capacity ? head : head - this.capacity)); // read the value first ...
    const next = head + 1 === this.#wrap ? 0 : head + 1;
    segment.store(this.#head, next); // ... then hand the slot back to the producer
    this.#myHead = next;
    if (segment.load(this.#producerSleeps)) segment.notify(this.#head, 1);
    return value;
  }

  /** null if every cell holds a legal value, else one line with all of them. Read at rest. */
  checkInvariants(): string | null {
    const [capacity, tail, head, producerSleeps, consumerSleeps] = Array.from(
      { length: HEADER },
      (_, i) => this.segment.load(this.#base + i),
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
