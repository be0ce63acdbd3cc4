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
/** What a fast path returns when it cannot finish at once: the caller takes the slow path. */
const SLOW = null;
/** Loads of a held LOCK before the fast path gives up: about a holder's stay (see #lockSoon). */
const LOCK_SPINS = 40;
type Wait = readonly [cell: number, expected: number, timeoutMs: number];
type Steps<T> = Generator<Wait, T, void>;
function checkTimeout(timeoutMs: unknown, method: string): number {
  if (typeof timeoutMs === 'number' && timeoutMs >= 0) return timeoutMs; // NaN fails too
  throw new ShimError(
    'EINVAL',
    `BoundedBuffer.${method}: timeoutMs must be a number >= 0 (or Infinity), got ${String(timeoutMs)}`,
  );
}
function checkValue(value: unknown, method: string): number {
  if (typeof value === 'number' && (value | 0) === value) return value;
  throw new ShimError(
    'EINVAL',
    `BoundedBuffer.${method}: value must be an int32, got ${String(value)}`,
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
  // Every method tries its fast path first (#putNow, #takeNow: no generator, no clock), and
  // runs the step functions only when that path finds the lock taken, the buffer full or empty.
  put(value: number, timeoutMs: number = Infinity): boolean {
    checkValue(value, 'put');
    checkTimeout(timeoutMs, 'put');
    return this.#putNow(value) ?? this.#run(this.#put(value, timeoutMs));
  }
  take(timeoutMs: number = Infinity): number | undefined {
    checkTimeout(timeoutMs, 'take');
    return this.#takeNow() ?? this.#run(this.#take(timeoutMs));
  }
  tryPut(value: number): boolean {
    return this.#putNow(checkValue(value, 'tryPut')) ?? this.#run(this.#put(value, 0));
  }
  tryTake(): number | undefined {
    return this.#takeNow() ?? this.#run(this.#take(0));
  }
  async putAsync(value: number, timeoutMs: number = Infinity): Promise<boolean> {
    checkValue(value, 'putAsync');
    checkTimeout(timeoutMs, 'putAsync');
    return this.#putNow(value) ?? this.#runAsync(this.#put(value, timeoutMs));
  }
  async takeAsync(timeoutMs: number = Infinity): Promise<number | undefined> {
    checkTimeout(timeoutMs, 'takeAsync');
    return this.#takeNow() ?? this.#runAsync(this.#take(timeoutMs));
  }
  /** No more puts (they throw ECLOSED); takes drain what is left, then return undefined. Wakes every sleeper. */
  close(): void {
    this.#run(this.#lock());
    this.#store(CLOSED, 1);
    this.#signal(NOT_EMPTY, TAKERS, Infinity); // every taker must see CLOSED: one notify each would strand the rest
    this.#signal(NOT_FULL, PUTTERS, Infinity);
    this.#unlock();
  }
  /** put's common case: the lock free at the first try, the buffer open with room. */
  #putNow(value: number): boolean | typeof SLOW {
    if (!this.#lockSoon()) return SLOW;
    const room = this.#load(CLOSED) === 0 && this.#count() < this.capacity;
    if (room) this.#append(value);
    this.#unlock();
    return room ? true : SLOW; // closed or full: the slow path throws or sleeps
  }
  #takeNow(): number | typeof SLOW {
    if (!this.#lockSoon()) return SLOW;
    const value = this.#count() > 0 ? this.#remove() : SLOW;
    this.#unlock();
    return value;
  }
  /**
   * LOCK, if it comes free within a short spin; false, not holding it, otherwise. A holder
   * keeps LOCK for a few cell operations, far less than a futex sleep and wake-up (the other
   * CPU's put and take collide all the time), so the fast path waits that long, no longer.
   */
  #lockSoon(): boolean {
    const lock = this.#base + LOCK;
    for (let spin = 0; spin < LOCK_SPINS; spin++) {
      const state = this.segment.load(lock); // test, then test-and-set: no write while held
      if (state === 0 && this.segment.compareExchange(lock, 0, 1) === 0) return true;
      if (state === 2) return false; // someone sleeps on it: queue in the slow path
    }
    return false;
  }
  /** Call only when holding LOCK, with room: the value into its slot, then the count. */
  #append(value: number): void {
    const puts = this.#load(PUTS);
    this.#store(HEADER + (puts < this.capacity ? puts : puts - this.capacity), value); // under LOCK: slot and count change as one step
    this.#store(PUTS, puts + 1 === 2 * this.capacity ? 0 : puts + 1); // compares, not `%`: cheaper
    this.#signal(NOT_EMPTY, TAKERS, 1); // after the state change; one new value, one taker
  }
  /** Call only when holding LOCK, not empty. */
  #remove(): number {
    const takes = this.#load(TAKES);
    const value = this.#load(HEADER + (takes < this.capacity ? takes : takes - this.capacity));
    this.#store(TAKES, takes + 1 === 2 * this.capacity ? 0 : takes + 1);
    this.#signal(NOT_FULL, PUTTERS, 1);
    return value;
  }
  *#put(value: number, timeoutMs: number): Steps<boolean> {
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
      this.#append(value);
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
      return this.#remove();
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
  /**
   * Call only when holding LOCK, after the state change it announces. With no sleeper
   * announced, nothing is bumped: a caller that announces later reads the condition and
   * checks the state after this change, under LOCK, so it cannot sleep through it.
   */
  #signal(condition: number, sleepers: number, count: number): void {
    if (this.#load(sleepers) === 0) return;
    this.segment.add(this.#base + condition, 1);
    this.segment.notify(this.#base + condition, count);
  }
  /** Call only when holding LOCK. */
  #count(): number {
    const size = this.#load(PUTS) - this.#load(TAKES);
    return size >= 0 ? size : size + 2 * this.capacity;
  }
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
