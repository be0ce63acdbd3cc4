// BoundedBuffer: a FIFO of int32 values with room for `capacity`, shared by any number of
// producer and consumer threads and processes. ArrayBlockingQueue's shape, in cells: one
// lock, two conditions (notFull, notEmpty), every blocking method `while (!ok) await`.
//
// Cells (byteOffset + 4 * i):
//   0 LOCK       0 free, 1 held, 2 held and someone may sleep on it (the futex mutex of 04)
//   1 CAPACITY   C, written once by init
//   2 PUTS       values ever put, counted modulo 2C. Wrap rule: a multiple of C, so `% C` stays
//   3 TAKES      values ever taken, modulo 2C.      continuous; twice C, so full (C) is not empty (0)
//   4 CLOSED     0 open, 1 closed for good
//   5 NOT_EMPTY  condition: bumped by every put and by close; takers sleep on it
//   6 NOT_FULL   condition: bumped by every take and by close; putters sleep on it
//   7 TAKERS, 8 PUTTERS  callers that announced themselves in #await: they may be asleep
//   9 ...        the C slots: value number n lives in slot n % C
// Invariants (whenever LOCK is 0): size = (PUTS - TAKES) mod 2C, 0 <= size <= C; the values
//   are slots TAKES .. PUTS - 1 (mod C), oldest first; TAKERS, PUTTERS >= 0.
// Who writes: only the LOCK holder writes any cell but LOCK; nobody sleeps holding LOCK.
// Sync and async methods run the same step functions: generators that yield the futex
// waits they need, slept by #run (wait) or #runAsync (waitAsync).
import { Segment, ShimError } from '@ipc-course/shim';
const LOCK = 0,
  CAPACITY = 1,
  PUTS = 2,
  TAKES = 3,
  CLOSED = 4,
  NOT_EMPTY = 5,
  NOT_FULL = 6,
  TAKERS = 7,
  PUTTERS = 8;
const HEADER = 9,
  MAX_CAPACITY = 1 << 24;
type Wait = readonly [cell: number, expected: number, timeoutMs: number];
type Steps<T> = Generator<Wait, T, void>;
function checkTimeout(timeoutMs: unknown, method: string): number {
  if (typeof timeoutMs === 'number' && timeoutMs >= 0) return timeoutMs; // NaN fails too
  throw new ShimError(
    'EINVAL',
    `BoundedBuffer.${method}: timeoutMs must be a number >= 0 (or Infinity), got ${String(timeoutMs)}`,
  );
}
export class BoundedBuffer {
  /** Bytes a buffer of `capacity` values needs: the header cells, then one cell per slot. */
  static byteLength(capacity: number): number {
    const ok = Number.isInteger(capacity) && capacity >= 1 && capacity <= MAX_CAPACITY;
    if (!ok)
      throw new ShimError(
        'EINVAL',
        `BoundedBuffer: capacity must be an integer from 1 to ${MAX_CAPACITY}, got ${String(capacity)}`,
      );
    return (HEADER + capacity) * 4;
  }
  /** Lays out an empty, open buffer; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number, capacity: number): BoundedBuffer {
    const base = segment.cellIndex(byteOffset, BoundedBuffer.byteLength(capacity) / 4);
    for (let cell = 0; cell < HEADER + capacity; cell++) segment.store(base + cell, 0);
    segment.store(base + CAPACITY, capacity);
    return new BoundedBuffer(segment, byteOffset);
  }
  readonly segment: Segment;
  readonly byteOffset: number;
  readonly capacity: number;
  readonly #base: number; // cell index of LOCK
  /** Attaches to a buffer that init() laid out; EALIGN or ERANGE for a bad offset. */
  constructor(segment: Segment, byteOffset: number) {
    const capacity = segment.load(segment.cellIndex(byteOffset, HEADER) + CAPACITY);
    this.#base = segment.cellIndex(byteOffset, BoundedBuffer.byteLength(capacity) / 4);
    this.segment = segment;
    this.byteOffset = byteOffset;
    this.capacity = capacity;
  }
  #load = (cell: number) => this.segment.load(this.#base + cell);
  #store = (cell: number, value: number) => this.segment.store(this.#base + cell, value);
  /** Values in the buffer now: a snapshot, read under the lock. */
  get size(): number {
    this.#run(this.#lock());
    try {
      return this.#count();
    } finally {
      this.#unlock();
    }
  }
  put(value: number, timeoutMs: number = Infinity): boolean {
    return this.#run(this.#put(value, checkTimeout(timeoutMs, 'put')));
  }
  take(timeoutMs: number = Infinity): number | undefined {
    return this.#run(this.#take(checkTimeout(timeoutMs, 'take')));
  }
  tryPut(value: number): boolean {
    return this.#run(this.#put(value, 0));
  }
  tryTake(): number | undefined {
    return this.#run(this.#take(0));
  }
  async putAsync(value: number, timeoutMs: number = Infinity): Promise<boolean> {
    return this.#runAsync(this.#put(value, checkTimeout(timeoutMs, 'putAsync')));
  }
  async takeAsync(timeoutMs: number = Infinity): Promise<number | undefined> {
    return this.#runAsync(this.#take(checkTimeout(timeoutMs, 'takeAsync')));
  }
  /** No more puts (they throw ECLOSED); takes drain what is left, then return undefined. Wakes every sleeper. */
  close(): void {
    this.#run(this.#lock());
    this.#store(CLOSED, 1);
    this.#signal(NOT_EMPTY, TAKERS, Infinity); // every taker must see CLOSED: one notify each would strand the rest
    this.#signal(NOT_FULL, PUTTERS, Infinity);
    this.#unlock();
  }
  *#put(value: number, timeoutMs: number): Steps<boolean> {
    if ((value | 0) !== value)
      throw new ShimError(
        'EINVAL',
        `BoundedBuffer.put: value must be an int32, got ${String(value)}`,
      );
    const deadline = performance.now() + timeoutMs;
    yield* this.#lock();
    try {
      for (;;) {
        // while, not if: a woken putter may find the room taken by a faster one
        if (this.#load(CLOSED))
          throw new ShimError('ECLOSED', `BoundedBuffer.put(${value}): the buffer is closed`);
        if (this.#count() < this.capacity) break;
        if (!(yield* this.#await(NOT_FULL, PUTTERS, deadline))) return false;
      }
      const puts = this.#load(PUTS);
      this.#store(HEADER + (puts % this.capacity), value); // under LOCK: slot and count change as one step
      this.#store(PUTS, (puts + 1) % (2 * this.capacity));
      this.#signal(NOT_EMPTY, TAKERS, 1); // after the state change; one new value, one taker
      return true;
    } finally {
      this.#unlock();
    }
  }
  *#take(timeoutMs: number): Steps<number | undefined> {
    const deadline = performance.now() + timeoutMs;
    yield* this.#lock();
    try {
      while (this.#count() === 0) {
        if (this.#load(CLOSED)) return undefined; // closed and drained: at once
        if (!(yield* this.#await(NOT_EMPTY, TAKERS, deadline))) return undefined;
      }
      const takes = this.#load(TAKES);
      const value = this.#load(HEADER + (takes % this.capacity));
      this.#store(TAKES, (takes + 1) % (2 * this.capacity));
      this.#signal(NOT_FULL, PUTTERS, 1);
      return value;
    } finally {
      this.#unlock();
    }
  }
  /** Call only when holding LOCK; returns holding it again, false if the deadline passed first. */
  *#await(condition: number, sleepers: number, deadline: number): Steps<boolean> {
    const remaining = deadline - performance.now();
    if (remaining <= 0) return false;
    const seen = this.#load(condition); // read under LOCK: any signal from now on changes it
    this.segment.add(this.#base + sleepers, 1); // announce, still under LOCK (partner: #signal's load)
    this.#unlock();
    yield [this.#base + condition, seen, remaining]; // sleeps only if no signal came since `seen`
    yield* this.#lock();
    this.segment.sub(this.#base + sleepers, 1);
    return true;
  }
  /** Call only when holding LOCK, after the state change it announces. */
  #signal(condition: number, sleepers: number, count: number): void {
    this.segment.add(this.#base + condition, 1);
    if (this.#load(sleepers) > 0) this.segment.notify(this.#base + condition, count);
  }
  /** Call only when holding LOCK. */
  #count = () => (this.#load(PUTS) - this.#load(TAKES) + 2 * this.capacity) % (2 * this.capacity);
  /** The futex mutex of 04: 0 -> 1 if free; else mark 2 and sleep until a swap finds it free. */
  *#lock(): Steps<void> {
    let state = this.segment.compareExchange(this.#base + LOCK, 0, 1);
    if (state !== 0 && state !== 2) state = this.segment.exchange(this.#base + LOCK, 2);
    // Sleep while it is held; take it as 2, since other sleepers may remain.
    for (; state !== 0; state = this.segment.exchange(this.#base + LOCK, 2))
      yield [this.#base + LOCK, 2, Infinity];
  }
  #unlock(): void {
    if (this.segment.exchange(this.#base + LOCK, 0) === 2)
      this.segment.notify(this.#base + LOCK, 1);
  }
  /** Runs step functions, sleeping in the futex where they ask; #runAsync with waitAsync. */
  #run<T>(steps: Steps<T>): T {
    for (let step = steps.next(); ; step = steps.next())
      if (step.done) return step.value;
      else this.segment.wait(...step.value);
  }
  async #runAsync<T>(steps: Steps<T>): Promise<T> {
    for (let step = steps.next(); ; step = steps.next())
      if (step.done) return step.value;
      else await this.segment.waitAsync(...step.value);
  }
  /** null if every cell holds a legal value, else one line with all of them. Read at rest. */
  checkInvariants(): string | null {
    const [lock, capacity, puts, takes, closed, , , takers, putters] = Array.from(
      { length: HEADER },
      (_, i) => this.#load(i),
    );
    const size = (puts - takes + 2 * capacity) % (2 * capacity);
    const legal =
      lock >= 0 &&
      lock <= 2 &&
      capacity === this.capacity &&
      Math.min(puts, takes, takers, putters) >= 0 &&
      Math.max(puts, takes) < 2 * capacity &&
      size <= capacity &&
      (closed === 0 || closed === 1);
    if (legal) return null;
    return `BoundedBuffer segment="${this.segment.name}" byteOffset=${this.byteOffset} lock=${lock} capacity=${capacity} puts=${puts} takes=${takes} size=${size} closed=${closed} takers=${takers} putters=${putters}`;
  }
}
