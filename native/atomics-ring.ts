// AtomicsRing: the yardstick a ring's speed is measured against. The same
// single-producer single-consumer ring as exercise 09 (same cells, same
// protocol: lessons/09-spsc-ring.md), with the same tricks as the reference,
// but on JS Atomics over the segment's bytes instead of the shim's cell
// operations, and with no argument checks. It is what a ring of this layout
// gets out of JavaScript; it ships with the course, so a learner can measure
// against it (exercises/09-spsc-ring's visible tests print the ratio). It is in
// the shim so that anything can import it by the shim's bare name.
//
// Cells (byteOffset / 4 + i): 0 CAPACITY, 1 TAIL, 2 HEAD, 3 PRODUCER_SLEEPS,
// 4 CONSUMER_SLEEPS, 5.. the slots. TAIL and HEAD count modulo 2C.
// Not a scheduling point: schedule perturbation and controlled runs never see it.
import type { Segment } from './segment.ts';

const CAPACITY = 0,
  TAIL = 1,
  HEAD = 2,
  PRODUCER_SLEEPS = 3,
  CONSUMER_SLEEPS = 4,
  HEADER = 5;

/** Every cell of the segment, as the shim's own Int32Array sees them (no copy). */
function cellsOf(segment: Segment): Int32Array {
  const bytes = segment.bytes(0, segment.byteLength);
  return new Int32Array(bytes.buffer, 0, segment.byteLength >> 2);
}

export class AtomicsRing {
  static byteLength(capacity: number): number {
    return (HEADER + capacity) * 4;
  }
  static init(segment: Segment, byteOffset: number, capacity: number): AtomicsRing {
    segment.cellIndex(byteOffset, HEADER + capacity); // throws unless the ring fits
    const cells = cellsOf(segment);
    cells.fill(0, byteOffset / 4, byteOffset / 4 + HEADER + capacity);
    Atomics.store(cells, byteOffset / 4 + CAPACITY, capacity);
    return new AtomicsRing(segment, byteOffset);
  }

  readonly capacity: number;
  readonly #cells: Int32Array;
  readonly #wrap: number;
  readonly #tail: number;
  readonly #head: number;
  readonly #producerSleeps: number;
  readonly #consumerSleeps: number;
  readonly #slots: number;
  readonly #segment: Segment; // for the futex: Atomics.wait/notify never leave this process
  #seenHead = 0;
  #seenTail = 0;
  #myTail = -1;
  #myHead = -1;

  constructor(segment: Segment, byteOffset: number) {
    const base = byteOffset / 4;
    this.#cells = cellsOf(segment);
    this.capacity = Atomics.load(this.#cells, base + CAPACITY);
    this.#wrap = 2 * this.capacity;
    this.#tail = base + TAIL;
    this.#head = base + HEAD;
    this.#producerSleeps = base + PRODUCER_SLEEPS;
    this.#consumerSleeps = base + CONSUMER_SLEEPS;
    this.#slots = base + HEADER;
    this.#segment = segment;
  }

  #count(tail: number, head: number): number {
    return tail >= head ? tail - head : tail - head + this.#wrap;
  }

  push(value: number): boolean {
    const cells = this.#cells;
    const tail = Atomics.load(cells, this.#tail);
    if (tail !== this.#myTail) this.#seenHead = Atomics.load(cells, this.#head);
    if (this.#count(tail, this.#seenHead) >= this.capacity) {
      this.#seenHead = Atomics.load(cells, this.#head);
      if (this.#count(tail, this.#seenHead) === this.capacity) return false;
    }
    Atomics.store(cells, this.#slots + (tail < this.capacity ? tail : tail - this.capacity), value);
    const next = tail + 1 === this.#wrap ? 0 : tail + 1;
    Atomics.store(cells, this.#tail, next);
    this.#myTail = next;
    if (Atomics.load(cells, this.#consumerSleeps)) this.#segment.notify(this.#tail, 1);
    return true;
  }

  pop(): number | undefined {
    const cells = this.#cells;
    const head = Atomics.load(cells, this.#head);
    if (head !== this.#myHead) this.#seenTail = Atomics.load(cells, this.#tail);
    if (head === this.#seenTail) {
      this.#seenTail = Atomics.load(cells, this.#tail);
      if (head === this.#seenTail) return undefined;
    }
    const value = Atomics.load(
      cells,
      this.#slots + (head < this.capacity ? head : head - this.capacity),
    );
    const next = head + 1 === this.#wrap ? 0 : head + 1;
    Atomics.store(cells, this.#head, next);
    this.#myHead = next;
    if (Atomics.load(cells, this.#producerSleeps)) this.#segment.notify(this.#head, 1);
    return value;
  }

  /** push, sleeping in the futex while the ring is full. No timeout: a yardstick never gives up. */
  put(value: number): boolean {
    while (!this.push(value)) {
      const head = Atomics.load(this.#cells, this.#head);
      this.#seenHead = head;
      if (this.push(value)) return true;
      Atomics.store(this.#cells, this.#producerSleeps, 1); // announce, then sleep (see pop)
      this.#segment.wait(this.#head, head);
      Atomics.store(this.#cells, this.#producerSleeps, 0);
    }
    return true;
  }

  /** pop, sleeping in the futex while the ring is empty. */
  take(): number {
    for (;;) {
      const value = this.pop();
      if (value !== undefined) return value;
      const tail = Atomics.load(this.#cells, this.#tail);
      this.#seenTail = tail;
      const again = this.pop();
      if (again !== undefined) return again;
      Atomics.store(this.#cells, this.#consumerSleeps, 1); // announce, then sleep (see push)
      this.#segment.wait(this.#tail, tail);
      Atomics.store(this.#cells, this.#consumerSleeps, 0);
    }
  }
}
