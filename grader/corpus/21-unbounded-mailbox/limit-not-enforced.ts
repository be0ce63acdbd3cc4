// BUG: send creates chunks without checking maxTotalBytes, so a mailbox nobody drains grows until memory runs out instead of throwing ENOMEM
// MUST FAIL: refuses a send with ENOMEM before the chunks would pass maxTotalBytes, losing nothing, and sends again once drained
//
// UnboundedMailbox: whole messages from any number of senders to any number of receivers,
// threads and processes, where send never blocks. The header lives in the caller's segment;
// messages live in chunk segments of chunkMessages slots each, created by the send that finds
// no room and unlinked by the receive that empties them. Chunk g is the segment named
// `${header segment name}-${byteOffset}-${g}`; the live chunks are HEAD_GEN .. TAIL_GEN, in order.
// Header cells (byteOffset + 4 * i):
//   0 LOCK  0 free, 1 held, 2 held and someone may sleep (the futex mutex of 04)
//   1 MAX_BYTES, 2 CHUNK_MESSAGES, 3 MAX_TOTAL_BYTES: written once by init
//   4 CLOSED  5 NOT_EMPTY (condition sequence)  6 RECEIVERS (announced sleepers)
//   7 HEAD_GEN, 8 HEAD_INDEX  the oldest chunk, and how many of its slots were received
//   9 TAIL_GEN, 10 TAIL_INDEX  the newest chunk, and how many of its slots were filled
//   11 CHUNKS  live chunks (0: none, the next send creates chunk TAIL_GEN + 1)   12 COUNT  messages queued
// Invariants (whenever LOCK is 0): CHUNKS = TAIL_GEN - HEAD_GEN + 1 or 0; COUNT = 0 iff CHUNKS = 0;
//   CHUNKS * chunkBytes <= MAX_TOTAL_BYTES; a slot's bytes are written before COUNT counts it.
// Who writes: only the LOCK holder writes any cell but LOCK, creates or unlinks a chunk.
import { Segment, ShimError } from '@ipc-course/shim';
const LOCK = 0,
  MAX_BYTES = 1,
  CHUNK_MESSAGES = 2,
  MAX_TOTAL = 3,
  CLOSED = 4,
  NOT_EMPTY = 5,
  RECEIVERS = 6;
const HEAD_GEN = 7,
  HEAD_INDEX = 8,
  TAIL_GEN = 9,
  TAIL_INDEX = 10,
  CHUNKS = 11,
  COUNT = 12,
  HEADER = 13;
const MAX_MESSAGE_BYTES = 1 << 20,
  MAX_CHUNK_MESSAGES = 1 << 16,
  MAX_TOTAL_BYTES = 2 ** 31 - 1;
type Wait = readonly [cell: number, expected: number, timeoutMs: number];
type Steps<T> = Generator<Wait, T, void>;
export interface UnboundedMailboxOptions {
  maxMessageBytes: number;
  chunkMessages: number;
  maxTotalBytes: number;
}
function invalid(what: string, value: unknown): never {
  throw new ShimError('EINVAL', `UnboundedMailbox: ${what}, got ${String(value)}`);
}
function checkTimeout(timeoutMs: unknown, method: string): number {
  // NaN fails too
  return typeof timeoutMs === 'number' && timeoutMs >= 0
    ? timeoutMs
    : invalid(`${method}: timeoutMs must be a number >= 0 (or Infinity)`, timeoutMs);
}
const checkInteger = (value: unknown, name: string, max: number): number =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max
    ? (value as number)
    : invalid(`${name} must be an integer from 1 to ${max}`, value);
const slotBytes = (maxMessageBytes: number) => 4 + Math.ceil(maxMessageBytes / 4) * 4; // length cell, then the payload
export class UnboundedMailbox {
  /** Bytes of the header in the caller's segment: EINVAL unless maxMessageBytes is an integer 1..1 MiB. */
  static byteLength(options: Pick<UnboundedMailboxOptions, 'maxMessageBytes'>): number {
    checkInteger(
      (options ?? invalid('options must be { maxMessageBytes }', options)).maxMessageBytes,
      'maxMessageBytes',
      MAX_MESSAGE_BYTES,
    );
    return HEADER * 4;
  }
  /** Lays out an empty, open mailbox; call once, before any thread uses it. EINVAL if one chunk passes maxTotalBytes. */
  static init(
    segment: Segment,
    byteOffset: number,
    options: UnboundedMailboxOptions,
  ): UnboundedMailbox {
    const byteLength = UnboundedMailbox.byteLength(options);
    const chunkMessages = checkInteger(options.chunkMessages, 'chunkMessages', MAX_CHUNK_MESSAGES);
    const maxTotalBytes = checkInteger(options.maxTotalBytes, 'maxTotalBytes', MAX_TOTAL_BYTES);
    if (chunkMessages * slotBytes(options.maxMessageBytes) > maxTotalBytes)
      invalid(
        `maxTotalBytes must hold one chunk of ${chunkMessages * slotBytes(options.maxMessageBytes)} bytes`,
        maxTotalBytes,
      );
    const base = segment.cellIndex(byteOffset, HEADER); // EALIGN, ERANGE
    segment.write(byteOffset, new Uint8Array(byteLength));
    segment.store(base + MAX_BYTES, options.maxMessageBytes);
    segment.store(base + CHUNK_MESSAGES, chunkMessages);
    segment.store(base + MAX_TOTAL, maxTotalBytes);
    segment.store(base + TAIL_GEN, -1); // the first chunk is chunk 0
    return new UnboundedMailbox(segment, byteOffset);
  }
  readonly segment: Segment;
  readonly byteOffset: number;
  readonly maxMessageBytes: number;
  readonly chunkMessages: number;
  readonly maxTotalBytes: number;
  readonly #base: number;
  readonly #chunks = new Map<number, Segment>(); // this thread's mappings, by generation
  /** Attaches to a mailbox that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    this.#base = segment.cellIndex(byteOffset, HEADER);
    [this.segment, this.byteOffset] = [segment, byteOffset];
    [this.maxMessageBytes, this.chunkMessages, this.maxTotalBytes] = [
      MAX_BYTES,
      CHUNK_MESSAGES,
      MAX_TOTAL,
    ].map((cell) => segment.load(this.#base + cell));
    if (!(this.maxMessageBytes > 0 && this.chunkMessages > 0))
      invalid('no mailbox was laid out here by init()', byteOffset);
  }
  /** The name of chunk `generation`: any process can work it out from the header's name. */
  chunkName(generation: number): string {
    return `${this.segment.name}-${this.byteOffset}-${generation}`;
  }
  get chunkBytes(): number {
    return this.chunkMessages * slotBytes(this.maxMessageBytes);
  }
  #load = (cell: number) => this.segment.load(this.#base + cell);
  #store = (cell: number, value: number) => this.segment.store(this.#base + cell, value);
  get size(): number {
    this.#run(this.#lock());
    try {
      return this.#load(COUNT);
    } finally {
      this.#unlock();
    }
  } // a snapshot
  /** Never blocks: ECLOSED after close, EMSGSIZE over maxMessageBytes, ENOMEM if a new chunk would pass maxTotalBytes. */
  send(message: Uint8Array): void {
    if (!(message instanceof Uint8Array)) invalid('a message must be a Uint8Array', message);
    if (message.length > this.maxMessageBytes)
      throw new ShimError(
        'EMSGSIZE',
        `UnboundedMailbox.send: a message of ${message.length} bytes is over maxMessageBytes ${this.maxMessageBytes}`,
      );
    this.#run(this.#lock());
    try {
      if (this.#load(CLOSED))
        throw new ShimError('ECLOSED', 'UnboundedMailbox.send: the mailbox is closed');
      const chunks = this.#load(CHUNKS);
      if (chunks === 0 || this.#load(TAIL_INDEX) === this.chunkMessages) {
        const generation = (this.#load(TAIL_GEN) + 1) | 0;
        this.#chunks.set(generation, Segment.create(this.chunkName(generation), this.chunkBytes)); // zero-filled, before any cell names it
        if (chunks === 0) {
          this.#store(HEAD_GEN, generation);
          this.#store(HEAD_INDEX, 0);
        }
        this.#store(TAIL_GEN, generation);
        this.#store(TAIL_INDEX, 0);
        this.#store(CHUNKS, chunks + 1);
      }
      const chunk = this.#chunk(this.#load(TAIL_GEN)),
        slot = this.#load(TAIL_INDEX),
        at = slot * slotBytes(this.maxMessageBytes);
      chunk.write(at + 4, message);
      chunk.store(at / 4, message.length); // whole, before COUNT counts it
      this.#store(TAIL_INDEX, slot + 1);
      this.#store(COUNT, this.#load(COUNT) + 1);
      this.segment.add(this.#base + NOT_EMPTY, 1);
      if (this.#load(RECEIVERS) > 0) this.segment.notify(this.#base + NOT_EMPTY, 1);
    } finally {
      this.#unlock();
    }
  }
  receive(timeoutMs: number = Infinity): Uint8Array | undefined {
    return this.#run(this.#receive(checkTimeout(timeoutMs, 'receive')));
  }
  tryReceive(): Uint8Array | undefined {
    return this.#run(this.#receive(0));
  }
  async receiveAsync(timeoutMs: number = Infinity): Promise<Uint8Array | undefined> {
    return this.#runAsync(this.#receive(checkTimeout(timeoutMs, 'receiveAsync')));
  }
  /** No more sends (ECLOSED); receives drain what is left, then return undefined at once. Wakes every receiver. */
  close(): void {
    this.#run(this.#lock());
    this.#store(CLOSED, 1);
    this.segment.add(this.#base + NOT_EMPTY, 1);
    if (this.#load(RECEIVERS) > 0) this.segment.notify(this.#base + NOT_EMPTY, Infinity);
    this.#unlock();
  }
  *#receive(timeoutMs: number): Steps<Uint8Array | undefined> {
    const deadline = performance.now() + timeoutMs;
    yield* this.#lock();
    try {
      while (this.#load(COUNT) === 0) {
        // while, not if: a faster receiver may have taken it
        if (this.#load(CLOSED)) return undefined;
        const remaining = deadline - performance.now();
        if (remaining <= 0) return undefined;
        const seen = this.#load(NOT_EMPTY); // read under LOCK: any send from now on changes it
        this.segment.add(this.#base + RECEIVERS, 1);
        this.#unlock();
        yield [this.#base + NOT_EMPTY, seen, remaining];
        yield* this.#lock();
        this.segment.sub(this.#base + RECEIVERS, 1);
      }
      const generation = this.#load(HEAD_GEN),
        chunk = this.#chunk(generation),
        slot = this.#load(HEAD_INDEX),
        at = slot * slotBytes(this.maxMessageBytes);
      const message = chunk.read(at + 4, chunk.load(at / 4));
      const count = this.#load(COUNT) - 1;
      this.#store(HEAD_INDEX, slot + 1);
      this.#store(COUNT, count);
      if (slot + 1 === this.chunkMessages || count === 0) {
        // read to its end, or the last chunk drained: give it back
        Segment.unlink(this.chunkName(generation));
        chunk.close();
        this.#chunks.delete(generation);
        const chunks = this.#load(CHUNKS) - 1;
        this.#store(CHUNKS, chunks);
        if (chunks > 0) {
          this.#store(HEAD_GEN, (generation + 1) | 0);
          this.#store(HEAD_INDEX, 0);
        }
      }
      return message;
    } finally {
      this.#unlock();
    }
  }
  /** Call only when holding LOCK: this thread's mapping of a live chunk, opened on first use; drops given-back ones. */
  #chunk(generation: number): Segment {
    const head = this.#load(HEAD_GEN);
    for (const [g, chunk] of this.#chunks)
      if (((g - head) | 0) < 0) {
        chunk.close();
        this.#chunks.delete(g);
      }
    let chunk = this.#chunks.get(generation);
    if (!chunk) this.#chunks.set(generation, (chunk = Segment.open(this.chunkName(generation))));
    return chunk;
  }
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
}
