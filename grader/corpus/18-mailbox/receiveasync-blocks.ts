// BUG: receiveAsync calls the blocking receive(), so it freezes the event loop (no timers, no I/O) while it waits
// MUST FAIL: sendAsync and receiveAsync wait without blocking the event loop
//
// An async function that never awaits runs to the end before it returns its Promise.
// Mailbox: an indirect link carrying whole messages (bytes) from any number of senders to any
// number of receivers, threads and processes: the bounded buffer of 10 with a message in each
// slot; capacity 0 makes every send a rendezvous. Cells (byteOffset + 4 * i), then payloads:
//   0 LOCK  0 free, 1 held, 2 held and someone may sleep (the futex mutex of 04)
//   1 CAPACITY C (0 = rendezvous), 2 MAX_BYTES M: written once by init
//   3 SENDS, 4 RECEIVES  messages ever sent, received, modulo 2S; S = max(C, 1) slots
//   5 CLOSED  0 open, 1 closed     6 NOT_EMPTY, 7 NOT_FULL  condition sequence cells
//   8 RECEIVERS, 9 SENDERS  callers announced on NOT_EMPTY, NOT_FULL: they may be asleep
//   10 TAKEN  receives ever, free-running: a rendezvous sender waits for it to move
//   11 ... 11+S-1  the length of the message in each slot; then S payloads of M bytes (rounded up to 4)
// Invariants (whenever LOCK is 0): 0 <= count = (SENDS - RECEIVES) mod 2S <= S; message n sits
//   whole in slot n % S (its bytes written before SENDS counted it, both under LOCK).
//   With C = 0 the one slot holds only the message of a sender that waits until TAKEN moves.
// Who writes: only the LOCK holder writes any cell but LOCK; nobody sleeps holding LOCK.
import { Segment, ShimError } from '@ipc-course/shim';
const LOCK = 0,
  CAPACITY = 1,
  MAX_BYTES = 2,
  SENDS = 3,
  RECEIVES = 4,
  CLOSED = 5,
  NOT_EMPTY = 6,
  NOT_FULL = 7;
const RECEIVERS = 8,
  SENDERS = 9,
  TAKEN = 10,
  HEADER = 11,
  MAX_CAPACITY = 1 << 16,
  MAX_MESSAGE_BYTES = 1 << 20;
type Wait = readonly [cell: number, expected: number, timeoutMs: number];
type Steps<T> = Generator<Wait, T, void>;
export interface MailboxOptions {
  capacity: number;
  maxMessageBytes: number;
}
/** Given helpers: a string or a JSON value as message bytes, and back. */
export const encodeText = (text: string): Uint8Array => new TextEncoder().encode(text),
  decodeText = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const encodeJson = (value: unknown): Uint8Array => encodeText(JSON.stringify(value)),
  decodeJson = <T = unknown>(bytes: Uint8Array): T => JSON.parse(decodeText(bytes)) as T;
function invalid(what: string, value: unknown): never {
  throw new ShimError('EINVAL', `Mailbox: ${what}, got ${String(value)}`);
}
function checkTimeout(timeoutMs: unknown, method: string): number {
  // NaN fails too
  return typeof timeoutMs === 'number' && timeoutMs >= 0
    ? timeoutMs
    : invalid(`${method}: timeoutMs must be a number >= 0 (or Infinity)`, timeoutMs);
}
const slotsOf = (capacity: number) => Math.max(capacity, 1); // a rendezvous still needs a slot for the message in hand
const payloadBytes = (maxMessageBytes: number) => Math.ceil(maxMessageBytes / 4) * 4;
export class Mailbox {
  /** Bytes a mailbox needs: EINVAL unless capacity is an integer 0..65536 and maxMessageBytes 1..1 MiB. */
  static byteLength(options: MailboxOptions): number {
    const { capacity, maxMessageBytes } =
      options ?? invalid('options must be { capacity, maxMessageBytes }', options);
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > MAX_CAPACITY)
      invalid(`capacity must be an integer from 0 to ${MAX_CAPACITY}`, capacity);
    if (
      !Number.isInteger(maxMessageBytes) ||
      maxMessageBytes < 1 ||
      maxMessageBytes > MAX_MESSAGE_BYTES
    )
      invalid(`maxMessageBytes must be an integer from 1 to ${MAX_MESSAGE_BYTES}`, maxMessageBytes);
    return (HEADER + slotsOf(capacity)) * 4 + slotsOf(capacity) * payloadBytes(maxMessageBytes);
  }
  /** Lays out an empty, open mailbox; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number, options: MailboxOptions): Mailbox {
    const byteLength = Mailbox.byteLength(options);
    const base = segment.cellIndex(byteOffset, byteLength / 4); // EALIGN, ERANGE
    segment.write(byteOffset, new Uint8Array(byteLength));
    segment.store(base + CAPACITY, options.capacity);
    segment.store(base + MAX_BYTES, options.maxMessageBytes);
    return new Mailbox(segment, byteOffset);
  }
  readonly segment: Segment;
  readonly byteOffset: number;
  readonly capacity: number;
  readonly maxMessageBytes: number;
  readonly #base: number;
  readonly #slots: number; // cell index of LOCK; S
  /** Attaches to a mailbox that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    const first = segment.cellIndex(byteOffset, HEADER);
    [this.segment, this.byteOffset, this.capacity, this.maxMessageBytes] = [
      segment,
      byteOffset,
      segment.load(first + CAPACITY),
      segment.load(first + MAX_BYTES),
    ];
    this.#base = segment.cellIndex(byteOffset, Mailbox.byteLength(this) / 4); // EINVAL if init() never ran here
    this.#slots = slotsOf(this.capacity);
  }
  #load = (cell: number) => this.segment.load(this.#base + cell);
  #store = (cell: number, value: number) => this.segment.store(this.#base + cell, value);
  get size(): number {
    this.#run(this.#lock());
    try {
      return this.#count();
    } finally {
      this.#unlock();
    }
  } // a snapshot
  send(message: Uint8Array, timeoutMs: number = Infinity): boolean {
    return this.#run(this.#send(message, checkTimeout(timeoutMs, 'send')));
  }
  receive(timeoutMs: number = Infinity): Uint8Array | undefined {
    return this.#run(this.#receive(checkTimeout(timeoutMs, 'receive')));
  }
  trySend(message: Uint8Array): boolean {
    return this.#run(this.#send(message, 0));
  }
  tryReceive(): Uint8Array | undefined {
    return this.#run(this.#receive(0));
  }
  async sendAsync(message: Uint8Array, timeoutMs: number = Infinity): Promise<boolean> {
    return this.#runAsync(this.#send(message, checkTimeout(timeoutMs, 'sendAsync')));
  }
  async receiveAsync(timeoutMs: number = Infinity): Promise<Uint8Array | undefined> {
    return this.receive(timeoutMs);
  }
  /** No more sends (ECLOSED); receives drain what is left, then return undefined. Wakes every sleeper. */
  close(): void {
    this.#run(this.#lock());
    this.#store(CLOSED, 1);
    this.#signal(NOT_EMPTY, RECEIVERS, Infinity);
    this.#signal(NOT_FULL, SENDERS, Infinity); // every sleeper must see CLOSED
    this.#unlock();
  }
  *#send(message: Uint8Array, timeoutMs: number): Steps<boolean> {
    if (!(message instanceof Uint8Array))
      invalid('a message must be a Uint8Array (see encodeText, encodeJson)', message);
    if (message.length > this.maxMessageBytes)
      throw new ShimError(
        'EMSGSIZE',
        `Mailbox.send: a message of ${message.length} bytes is over maxMessageBytes ${this.maxMessageBytes}`,
      );
    const deadline = performance.now() + timeoutMs;
    yield* this.#lock();
    try {
      for (;;) {
        // while, not if: a woken sender may find the slot taken by a faster one
        if (this.#load(CLOSED))
          throw new ShimError('ECLOSED', 'Mailbox.send: the mailbox is closed');
        if (this.#count() < this.#slots) break;
        if (!(yield* this.#await(NOT_FULL, SENDERS, deadline))) return false;
      }
      const sends = this.#load(SENDS),
        slot = sends % this.#slots;
      this.segment.write(this.#payload(slot), message); // under LOCK, before SENDS counts it: never torn
      this.#store(HEADER + slot, message.length);
      this.#store(SENDS, (sends + 1) % (2 * this.#slots));
      this.#signal(NOT_EMPTY, RECEIVERS, 1);
      if (this.capacity > 0) return true;
      const ticket = this.#load(TAKEN); // rendezvous: the slot is ours until TAKEN moves
      for (;;) {
        if (this.#load(TAKEN) !== ticket) return true;
        if (this.#load(CLOSED)) {
          this.#retract();
          throw new ShimError('ECLOSED', 'Mailbox.send: the mailbox is closed');
        }
        if (!(yield* this.#await(NOT_FULL, SENDERS, deadline))) {
          this.#retract();
          return false;
        }
      }
    } finally {
      this.#unlock();
    }
  }
  /** Call only when holding LOCK, as a rendezvous sender whose message is still in the slot. */
  #retract(): void {
    // the slot is free again for another sender
    this.#store(SENDS, (this.#load(SENDS) + 2 * this.#slots - 1) % (2 * this.#slots));
    this.#signal(NOT_FULL, SENDERS, 1);
  }
  *#receive(timeoutMs: number): Steps<Uint8Array | undefined> {
    const deadline = performance.now() + timeoutMs;
    yield* this.#lock();
    try {
      while (this.#count() === 0) {
        if (this.#load(CLOSED)) return undefined; // closed and drained: at once
        if (!(yield* this.#await(NOT_EMPTY, RECEIVERS, deadline))) return undefined;
      }
      const receives = this.#load(RECEIVES),
        slot = receives % this.#slots;
      const message = this.segment.read(this.#payload(slot), this.#load(HEADER + slot));
      this.#store(RECEIVES, (receives + 1) % (2 * this.#slots));
      this.#store(TAKEN, (this.#load(TAKEN) + 1) | 0);
      // With C = 0 the rendezvous sender sleeps on NOT_FULL too, beside senders waiting for the slot: wake all.
      this.#signal(NOT_FULL, SENDERS, this.capacity === 0 ? Infinity : 1);
      return message;
    } finally {
      this.#unlock();
    }
  }
  #payload = (slot: number) =>
    this.byteOffset + (HEADER + this.#slots) * 4 + slot * payloadBytes(this.maxMessageBytes);
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
  #count = () => (this.#load(SENDS) - this.#load(RECEIVES) + 2 * this.#slots) % (2 * this.#slots); // hold LOCK
  /** The futex mutex of 04: 0 -> 1 if free; else mark 2 and sleep until a swap finds it free. */
  *#lock(): Steps<void> {
    let state = this.segment.compareExchange(this.#base + LOCK, 0, 1);
    if (state !== 0 && state !== 2) state = this.segment.exchange(this.#base + LOCK, 2);
    for (; state !== 0; state = this.segment.exchange(this.#base + LOCK, 2))
      yield [this.#base + LOCK, 2, Infinity];
  }
  #unlock(): void {
    if (this.segment.exchange(this.#base + LOCK, 0) === 2)
      this.segment.notify(this.#base + LOCK, 1);
  }
  /** Runs step functions, sleeping in the futex where they ask: wait, or waitAsync. */
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
    const [lock, capacity, maxBytes, sends, receives, closed, , , receivers, senders] = Array.from(
      { length: HEADER },
      (_, i) => this.#load(i),
    );
    const count = (sends - receives + 2 * this.#slots) % (2 * this.#slots);
    const lengthsOk = Array.from({ length: this.#slots }, (_, s) => this.#load(HEADER + s)).every(
      (n) => n >= 0 && n <= maxBytes,
    );
    const legal =
      lock >= 0 &&
      lock <= 2 &&
      capacity === this.capacity &&
      maxBytes === this.maxMessageBytes &&
      Math.min(sends, receives, receivers, senders) >= 0 &&
      Math.max(sends, receives) < 2 * this.#slots &&
      count <= this.#slots &&
      (closed === 0 || closed === 1) &&
      lengthsOk &&
      (capacity > 0 || count === 0);
    return legal
      ? null
      : `Mailbox segment="${this.segment.name}" byteOffset=${this.byteOffset} lock=${lock} capacity=${capacity} maxMessageBytes=${maxBytes} sends=${sends} receives=${receives} count=${count} closed=${closed} receivers=${receivers} senders=${senders} lengthsOk=${lengthsOk}`;
  }
}
