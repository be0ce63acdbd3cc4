// BUG: send marks the slot full and counts it under the lock, then unlocks and only then copies the payload in: a receiver can take the slot before its bytes are there (a torn or stale message)
// MUST FAIL: delivers every message exactly once and never torn (3 senders + 3 receivers, workers and processes)
// PriorityMailbox: a POSIX message queue (mq_send / mq_receive) in shared memory: up to `capacity`
// messages of at most `maxMessageBytes` bytes, each with a priority 0..priorities-1 (higher = more
// urgent). receive returns the OLDEST message of the HIGHEST priority. One lock, two conditions.
// Cells (byteOffset + 4 * i):
//   0 LOCK  0 free, 1 held, 2 held and someone may sleep on it (the futex mutex of 04)
//   1 CAPACITY, 2 MAX_BYTES, 3 PRIORITIES: written once by init    4 COUNT  messages in it
//   5 CLOSED  0 open, 1 closed for good    10 NEXT_SEQ  the next message's sequence number (int32, wraps)
//   6 NOT_EMPTY, 7 NOT_FULL  conditions: bumped by every send (receive) and by close
//   8 RECEIVERS, 9 SENDERS   callers that announced themselves in #await: they may be asleep
//   11 ...  CAPACITY slots of 3 + ceil(MAX_BYTES / 4) cells: PRIORITY (-1 free), SEQ, LENGTH, bytes
// Invariants (whenever LOCK is 0): COUNT = the slots whose PRIORITY is not -1, 0 <= COUNT <= CAPACITY;
//   live SEQs are distinct and within CAPACITY of each other, so (a - b) | 0 orders them across a wrap.
// Who writes: only the LOCK holder writes any cell but LOCK; nobody sleeps holding LOCK. A slot's
//   bytes and its PRIORITY change under LOCK, so no receiver ever sees a half-written message.
import { Segment, ShimError } from '@ipc-course/shim';
const LOCK = 0,
  CAPACITY = 1,
  MAX_BYTES = 2,
  PRIORITIES = 3,
  COUNT = 4,
  CLOSED = 5,
  NOT_EMPTY = 6,
  NOT_FULL = 7;
const RECEIVERS = 8,
  SENDERS = 9,
  NEXT_SEQ = 10,
  HEADER = 11;
const PRIORITY = 0,
  SEQ = 1,
  LENGTH = 2,
  SLOT_HEADER = 3,
  FREE = -1;
const LIMITS = { capacity: 1 << 16, maxMessageBytes: 1 << 20, priorities: 32768 };
export interface PriorityMailboxOptions {
  capacity: number;
  maxMessageBytes: number;
  priorities?: number;
}
export interface Received {
  message: Uint8Array;
  priority: number;
}
type Steps<T> = Generator<readonly [cell: number, expected: number, timeoutMs: number], T, void>;
const einval = (what: string) => new ShimError('EINVAL', `PriorityMailbox: ${what}`);
const checkTimeout = (timeoutMs: unknown, method: string): number => {
  // NaN fails too
  if (typeof timeoutMs === 'number' && timeoutMs >= 0) return timeoutMs;
  else
    throw einval(
      `${method}: timeoutMs must be a number >= 0 (or Infinity), got ${String(timeoutMs)}`,
    );
};
const slotCells = (maxBytes: number) => SLOT_HEADER + Math.ceil(maxBytes / 4);
export class PriorityMailbox {
  /** Bytes a mailbox needs; EINVAL unless each option is an integer in 1..its limit (priorities default 32). */
  static byteLength(options: PriorityMailboxOptions): number {
    const { capacity, maxMessageBytes, priorities = 32 } = options ?? {};
    const limit = (name: string) => LIMITS[name as keyof typeof LIMITS];
    const bad = Object.entries({ capacity, maxMessageBytes, priorities }).find(
      ([name, v]) => !(Number.isInteger(v) && v >= 1 && v <= limit(name)),
    );
    if (bad)
      throw einval(
        `${bad[0]} must be an integer from 1 to ${limit(bad[0])}, got ${String(bad[1])}`,
      );
    return (HEADER + capacity * slotCells(maxMessageBytes)) * 4;
  }
  /** Lays out an empty, open mailbox; call once, before any thread uses it. */
  static init(
    segment: Segment,
    byteOffset: number,
    options: PriorityMailboxOptions,
  ): PriorityMailbox {
    const cells = PriorityMailbox.byteLength(options) / 4;
    const base = segment.cellIndex(byteOffset, cells);
    for (let cell = 0; cell < cells; cell++) segment.store(base + cell, 0);
    [options.capacity, options.maxMessageBytes, options.priorities ?? 32].forEach((value, i) =>
      segment.store(base + CAPACITY + i, value),
    );
    for (let slot = 0; slot < options.capacity; slot++)
      segment.store(base + HEADER + slot * slotCells(options.maxMessageBytes) + PRIORITY, FREE);
    return new PriorityMailbox(segment, byteOffset);
  }
  readonly segment: Segment;
  readonly byteOffset: number;
  readonly capacity: number;
  readonly maxMessageBytes: number;
  readonly priorities: number;
  readonly #base: number;
  readonly #slotCells: number; // #base: the cell index of LOCK
  /** Attaches to a mailbox that init() laid out; EALIGN or ERANGE for a bad offset. */
  constructor(segment: Segment, byteOffset: number) {
    const header = segment.cellIndex(byteOffset, HEADER);
    [this.capacity, this.maxMessageBytes, this.priorities] = [CAPACITY, MAX_BYTES, PRIORITIES].map(
      (c) => segment.load(header + c),
    );
    this.#base = segment.cellIndex(byteOffset, PriorityMailbox.byteLength(this) / 4);
    this.#slotCells = slotCells(this.maxMessageBytes);
    [this.segment, this.byteOffset] = [segment, byteOffset];
  }
  #load = (cell: number) => this.segment.load(this.#base + cell);
  #store = (cell: number, value: number) => this.segment.store(this.#base + cell, value);
  #slot = (slot: number) => HEADER + slot * this.#slotCells; // cell of a slot's PRIORITY
  /** Messages in the mailbox now: a snapshot, read under the lock. */
  get size(): number {
    this.#run(this.#lock());
    try {
      return this.#load(COUNT);
    } finally {
      this.#unlock();
    }
  }
  send(message: Uint8Array, priority: number, timeoutMs: number = Infinity): boolean {
    return this.#run(this.#send(message, priority, checkTimeout(timeoutMs, 'send')));
  }
  receive(timeoutMs: number = Infinity): Received | undefined {
    return this.#run(this.#receive(checkTimeout(timeoutMs, 'receive')));
  }
  trySend(message: Uint8Array, priority: number): boolean {
    return this.#run(this.#send(message, priority, 0));
  }
  tryReceive(): Received | undefined {
    return this.#run(this.#receive(0));
  }
  async sendAsync(
    message: Uint8Array,
    priority: number,
    timeoutMs: number = Infinity,
  ): Promise<boolean> {
    return this.#runAsync(this.#send(message, priority, checkTimeout(timeoutMs, 'sendAsync')));
  }
  async receiveAsync(timeoutMs: number = Infinity): Promise<Received | undefined> {
    return this.#runAsync(this.#receive(checkTimeout(timeoutMs, 'receiveAsync')));
  }
  /** No more sends (they throw ECLOSED); receives drain what is left, then return undefined. Wakes every sleeper. */
  close(): void {
    this.#run(this.#lock());
    this.#store(CLOSED, 1);
    this.#signal(NOT_EMPTY, RECEIVERS, Infinity); // every receiver must see CLOSED: one notify each would strand the rest
    this.#signal(NOT_FULL, SENDERS, Infinity);
    this.#unlock();
  }
  *#send(message: Uint8Array, priority: number, timeoutMs: number): Steps<boolean> {
    if (!(message instanceof Uint8Array))
      throw einval(`send: message must be a Uint8Array, got ${typeof message}`);
    if (message.length > this.maxMessageBytes)
      throw new ShimError(
        'EMSGSIZE',
        `PriorityMailbox.send: ${message.length} bytes is more than maxMessageBytes ${this.maxMessageBytes}`,
      );
    if (!Number.isInteger(priority) || priority < 0 || priority >= this.priorities)
      throw einval(
        `send: priority must be an integer from 0 to ${this.priorities - 1}, got ${String(priority)}`,
      );
    const deadline = performance.now() + timeoutMs;
    yield* this.#lock();
    try {
      for (;;) {
        // while, not if: a woken sender may find the room taken by a faster one
        if (this.#load(CLOSED))
          throw new ShimError('ECLOSED', 'PriorityMailbox.send: the mailbox is closed');
        if (this.#load(COUNT) < this.capacity) break;
        if (!(yield* this.#await(NOT_FULL, SENDERS, deadline))) return false;
      }
      let at = this.#slot(0);
      while (this.#load(at + PRIORITY) !== FREE) at += this.#slotCells; // COUNT < CAPACITY: one is free
      this.#store(at + SEQ, this.segment.add(this.#base + NEXT_SEQ, 1)); // add wraps as int32
      this.#store(at + PRIORITY, priority);
      this.#store(COUNT, this.#load(COUNT) + 1);
      this.#unlock(); // copy the bytes outside the lock: faster, and wrong
      this.segment.write((this.#base + at + SLOT_HEADER) * 4, message);
      this.#store(at + LENGTH, message.length);
      yield* this.#lock();
      this.#signal(NOT_EMPTY, RECEIVERS, 1); // after the state change; one new message, one receiver
      return true;
    } finally {
      this.#unlock();
    }
  }
  *#receive(timeoutMs: number): Steps<Received | undefined> {
    const deadline = performance.now() + timeoutMs;
    yield* this.#lock();
    try {
      while (this.#load(COUNT) === 0) {
        if (this.#load(CLOSED)) return undefined; // closed and drained: at once
        if (!(yield* this.#await(NOT_EMPTY, RECEIVERS, deadline))) return undefined;
      }
      let at = -1,
        priority = -1,
        seq = 0;
      for (let slot = this.#slot(0); slot < this.#slot(this.capacity); slot += this.#slotCells) {
        // mq_receive's order:
        const [p, s] = [this.#load(slot + PRIORITY), this.#load(slot + SEQ)]; // highest priority, then oldest SEQ
        if (p !== FREE && (p > priority || (p === priority && ((s - seq) | 0) < 0)))
          [at, priority, seq] = [slot, p, s];
      }
      const message = this.segment.read(
        (this.#base + at + SLOT_HEADER) * 4,
        this.#load(at + LENGTH),
      );
      this.#store(at + PRIORITY, FREE);
      this.#store(COUNT, this.#load(COUNT) - 1);
      this.#signal(NOT_FULL, SENDERS, 1);
      return { message, priority };
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
  /** The futex mutex of 04: 0 -> 1 if free; else mark 2 and sleep until a swap finds it free. */
  *#lock(): Steps<void> {
    // sleep while it is held; take it as 2, since other sleepers may remain
    let state = this.segment.compareExchange(this.#base + LOCK, 0, 1);
    if (state !== 0 && state !== 2) state = this.segment.exchange(this.#base + LOCK, 2);
    for (; state !== 0; state = this.segment.exchange(this.#base + LOCK, 2))
      yield [this.#base + LOCK, 2, Infinity];
  }
  #unlock(): void {
    if (this.segment.exchange(this.#base + LOCK, 0) === 2)
      this.segment.notify(this.#base + LOCK, 1);
  }
  /** Runs step functions, sleeping in the futex where they ask (segment.wait); #runAsync with waitAsync. */
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
    const [lock, , , , count, closed, , , receivers, senders] = Array.from(
      { length: HEADER },
      (_, i) => this.#load(i),
    );
    const priorities = Array.from({ length: this.capacity }, (_, slot) =>
      this.#load(this.#slot(slot) + PRIORITY),
    );
    const legal =
      lock >= 0 &&
      lock <= 2 &&
      count === priorities.filter((p) => p !== FREE).length &&
      (closed === 0 || closed === 1) &&
      Math.min(receivers, senders) >= 0 &&
      priorities.every((p) => p >= FREE && p < this.priorities);
    return legal
      ? null
      : `PriorityMailbox segment="${this.segment.name}" byteOffset=${this.byteOffset} lock=${lock} count=${count} closed=${closed} receivers=${receivers} senders=${senders} slot priorities=[${priorities.join(',')}]`;
  }
}
