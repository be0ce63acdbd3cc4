// BUG: consume never sends the credit back, so the producer blocks for ever once the first `credits` messages are out
// MUST FAIL: each client gets its own replies, and credits bound what is in flight, under controlled schedules (2 clients + server, producer + consumer with 1 credit)
//
// The credits go round: every message consumed must return one.
// Request/reply and producer-consumer with credits, built from the Mailbox of 18 (./mailbox.ts).
//
// RpcChannel, from byteOffset: one cell NEXT_ID (correlation ids, free-running), then
//   FREE     a mailbox of S = max(capacity, 1) 4-byte messages: the numbers of the reply slots not in use
//   REQUEST  a mailbox of `capacity` messages [slot u32, id i32, request bytes]
//   REPLY s  for each slot s, a mailbox of capacity + 2 messages [id i32, reply bytes]
// A caller owns its slot from FREE until it gives it back, so only it receives from REPLY s.
// A caller that timed out gives the slot back; the late reply then sits in REPLY s, and the
// next owner drops it because its id is not the one it waits for. Stale replies per slot are
// at most capacity + 1 (requests queued, plus one in the server's hands): the server never
// blocks on a reply box for long.
//
// CreditChannel: CREDITS, a mailbox holding `credits` empty messages at init, then DATA.
// produce takes a credit before it sends; consume returns one after it receives: at most
// `credits` messages are ever in flight. DATA has room for twice that: the credits, not the
// mailbox, keep the limit.
import { Segment, ShimError } from '@ipc-course/shim';
import { Mailbox } from './mailbox.ts';

export { decodeJson, decodeText, encodeJson, encodeText } from './mailbox.ts';
export interface RpcOptions {
  capacity: number;
  maxMessageBytes: number;
}
export interface CreditOptions {
  credits: number;
  maxMessageBytes: number;
}

const ID_BYTES = 4,
  SLOT_BYTES = 4;
function invalid(what: string, value: unknown): never {
  throw new ShimError('EINVAL', `${what}, got ${String(value)}`);
}
function checkMessage(message: unknown, method: string): Uint8Array {
  return message instanceof Uint8Array
    ? message
    : invalid(`${method}: a message must be a Uint8Array`, message);
}
function withHeader(header: number[], body: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(header.length * 4 + body.length),
    view = new DataView(bytes.buffer);
  header.forEach((value, i) => view.setInt32(i * 4, value, true));
  bytes.set(body, header.length * 4);
  return bytes;
}
const int32At = (bytes: Uint8Array, at: number) =>
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(at, true);

export class RpcChannel {
  static #layout(options: RpcOptions) {
    const { capacity, maxMessageBytes } =
      options ?? invalid('RpcChannel: options must be { capacity, maxMessageBytes }', options);
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 64)
      invalid('RpcChannel: capacity must be an integer from 1 to 64', capacity);
    if (
      !Number.isInteger(maxMessageBytes) ||
      maxMessageBytes < 1 ||
      maxMessageBytes > (1 << 20) - 8
    )
      invalid(
        'RpcChannel: maxMessageBytes must be an integer from 1 to 1 MiB - 8',
        maxMessageBytes,
      );
    const slots = capacity;
    const free = { capacity: slots, maxMessageBytes: SLOT_BYTES };
    const request = { capacity, maxMessageBytes: maxMessageBytes + SLOT_BYTES + ID_BYTES };
    const reply = { capacity: capacity + 2, maxMessageBytes: maxMessageBytes + ID_BYTES };
    const freeAt = 4,
      requestAt = freeAt + Mailbox.byteLength(free),
      replyAt = requestAt + Mailbox.byteLength(request);
    const replyBytes = Mailbox.byteLength(reply);
    return {
      slots,
      free,
      request,
      reply,
      freeAt,
      requestAt,
      replyAt,
      replyBytes,
      byteLength: replyAt + slots * replyBytes,
    };
  }
  /** Bytes a channel needs: EINVAL unless capacity is an integer 1..64 and maxMessageBytes 1..1 MiB - 8. */
  static byteLength(options: RpcOptions): number {
    return RpcChannel.#layout(options).byteLength;
  }
  /** Lays out an empty channel; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number, options: RpcOptions): RpcChannel {
    const layout = RpcChannel.#layout(options);
    segment.cellIndex(byteOffset, layout.byteLength / 4); // EALIGN, ERANGE
    segment.write(byteOffset, new Uint8Array(4));
    const free = Mailbox.init(segment, byteOffset + layout.freeAt, layout.free);
    Mailbox.init(segment, byteOffset + layout.requestAt, layout.request);
    for (let s = 0; s < layout.slots; s++) {
      Mailbox.init(segment, byteOffset + layout.replyAt + s * layout.replyBytes, layout.reply);
      free.send(withHeader([s], new Uint8Array(0)));
    }
    return new RpcChannel(segment, byteOffset);
  }
  readonly segment: Segment;
  readonly byteOffset: number;
  readonly capacity: number;
  readonly maxMessageBytes: number;
  readonly #nextId: number;
  readonly #free: Mailbox;
  readonly #requests: Mailbox;
  readonly #replies: Mailbox[];
  /** Attaches to a channel that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    this.#nextId = segment.cellIndex(byteOffset, 1);
    this.#free = new Mailbox(segment, byteOffset + 4);
    [this.segment, this.byteOffset, this.capacity] = [segment, byteOffset, this.#free.capacity];
    this.#requests = new Mailbox(segment, byteOffset + 4 + Mailbox.byteLength(this.#free));
    this.maxMessageBytes = this.#requests.maxMessageBytes - SLOT_BYTES - ID_BYTES;
    const layout = RpcChannel.#layout(this);
    this.#replies = Array.from(
      { length: layout.slots },
      (_, s) => new Mailbox(segment, byteOffset + layout.replyAt + s * layout.replyBytes),
    );
  }
  /** Sends `request` and waits for its own reply; undefined if timeoutMs passed first. */
  call(request: Uint8Array, timeoutMs: number = Infinity): Uint8Array | undefined {
    checkMessage(request, 'RpcChannel.call');
    if (request.length > this.maxMessageBytes)
      throw new ShimError(
        'EMSGSIZE',
        `RpcChannel.call: ${request.length} bytes is over maxMessageBytes ${this.maxMessageBytes}`,
      );
    if (!(typeof timeoutMs === 'number' && timeoutMs >= 0))
      invalid('RpcChannel.call: timeoutMs must be a number >= 0', timeoutMs);
    const deadline = performance.now() + timeoutMs,
      left = () => Math.max(0, deadline - performance.now());
    const slotMessage = this.#free.receive(timeoutMs);
    if (slotMessage === undefined) return undefined; // every slot busy for the whole wait
    const slot = int32At(slotMessage, 0);
    try {
      const id = (this.segment.add(this.#nextId, 1) + 1) | 0; // fresh: no reply in the box can carry it yet
      if (!this.#requests.send(withHeader([slot, id], request), left())) return undefined;
      for (;;) {
        const reply = this.#replies[slot].receive(left());
        if (reply === undefined) return undefined;
        if (int32At(reply, 0) === id) return reply.slice(ID_BYTES);
        // else: the late reply to an earlier owner of this slot, who gave up; drop it
      }
    } finally {
      this.#free.send(slotMessage);
    } // never blocks: FREE has room for every slot
  }
  /** Answers `count` requests, each with handler(request), in the order they came. */
  serve(handler: (request: Uint8Array) => Uint8Array, count: number): void {
    if (typeof handler !== 'function')
      invalid('RpcChannel.serve: handler must be a function', handler);
    if (!Number.isInteger(count) || count < 0)
      invalid('RpcChannel.serve: count must be an integer >= 0', count);
    for (let i = 0; i < count; i++) {
      const request = this.#requests.receive() as Uint8Array; // no timeout, never closed: a message
      const reply = checkMessage(
        handler(request.slice(SLOT_BYTES + ID_BYTES)),
        'RpcChannel.serve: handler result',
      );
      if (reply.length > this.maxMessageBytes)
        throw new ShimError(
          'EMSGSIZE',
          `RpcChannel.serve: a reply of ${reply.length} bytes is over maxMessageBytes ${this.maxMessageBytes}`,
        );
      this.#replies[int32At(request, 0)].send(withHeader([int32At(request, SLOT_BYTES)], reply));
    }
  }
}

export class CreditChannel {
  static #layout(options: CreditOptions) {
    const { credits, maxMessageBytes } =
      options ?? invalid('CreditChannel: options must be { credits, maxMessageBytes }', options);
    if (!Number.isInteger(credits) || credits < 1 || credits > 1024)
      invalid('CreditChannel: credits must be an integer from 1 to 1024', credits);
    const creditBox = { capacity: credits, maxMessageBytes: 1 },
      data = { capacity: 2 * credits, maxMessageBytes };
    const dataAt = Mailbox.byteLength(creditBox);
    return { creditBox, data, dataAt, byteLength: dataAt + Mailbox.byteLength(data) };
  }
  /** Bytes a channel needs: EINVAL unless credits is an integer 1..1024 and maxMessageBytes 1..1 MiB. */
  static byteLength(options: CreditOptions): number {
    return CreditChannel.#layout(options).byteLength;
  }
  /** Lays out a channel holding `credits` credits and no message; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number, options: CreditOptions): CreditChannel {
    const layout = CreditChannel.#layout(options);
    const credits = Mailbox.init(segment, byteOffset, layout.creditBox);
    Mailbox.init(segment, byteOffset + layout.dataAt, layout.data);
    for (let i = 0; i < options.credits; i++) credits.send(new Uint8Array(0)); // N empty messages
    return new CreditChannel(segment, byteOffset);
  }
  readonly credits: number;
  readonly maxMessageBytes: number;
  readonly #credits: Mailbox;
  readonly #data: Mailbox;
  constructor(segment: Segment, byteOffset: number) {
    this.#credits = new Mailbox(segment, byteOffset);
    this.#data = new Mailbox(segment, byteOffset + Mailbox.byteLength(this.#credits));
    [this.credits, this.maxMessageBytes] = [this.#credits.capacity, this.#data.maxMessageBytes];
  }
  /** Waits for a credit, then sends: never more than `credits` messages in flight. */
  produce(message: Uint8Array): void {
    checkMessage(message, 'CreditChannel.produce');
    if (message.length > this.maxMessageBytes)
      throw new ShimError(
        'EMSGSIZE',
        `CreditChannel.produce: ${message.length} bytes is over maxMessageBytes ${this.maxMessageBytes}`,
      );
    this.#credits.receive(); // a credit: one message may be in flight
    this.#data.send(message);
  }
  /** Receives the oldest message, then gives its credit back to the producer. */
  consume(): Uint8Array {
    const message = this.#data.receive() as Uint8Array;
    return message;
  }
}
