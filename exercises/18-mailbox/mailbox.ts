// Mailbox: an indirect link that carries whole messages (bytes) from any number of senders to
// any number of receivers, threads and processes. capacity 0 makes every send a rendezvous.
// Layout ideas: README.md, "The cells".
//
// Invariants (whenever no call is inside its critical section):
//   0 <= messages waiting <= max(capacity, 1); each is whole (all its bytes, or none of it is
//   visible), received at most once, and messages from one sender leave in the order sent.
//   A caller sleeps only after it has made sure a waker will see it.
// TODO: design your cells, then write everything below marked TODO. Task:
// README.md; stuck? hints.md. Run: npm test -- exercises/18-mailbox
import { Segment, ShimError } from '@ipc-course/shim';

export interface MailboxOptions {
  capacity: number;
  maxMessageBytes: number;
}
/** Given helpers (nothing to do here): a string or a JSON value as message bytes, and back. */
export const encodeText = (text: string): Uint8Array => new TextEncoder().encode(text),
  decodeText = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const encodeJson = (value: unknown): Uint8Array => encodeText(JSON.stringify(value)),
  decodeJson = <T = unknown>(bytes: Uint8Array): T => JSON.parse(decodeText(bytes)) as T;

export class Mailbox {
  /** Bytes a mailbox needs: EINVAL unless capacity is an integer >= 0 and maxMessageBytes >= 1. */
  static byteLength(options: MailboxOptions): number {
    // TODO: check both numbers (ShimError('EINVAL', ...)); header cells + per-slot lengths + payloads.
    throw new Error('TODO: Mailbox.byteLength');
  }

  /** Lays out an empty, open mailbox; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number, options: MailboxOptions): Mailbox {
    // TODO: zero every byte of it, store capacity and maxMessageBytes in cells, attach.
    throw new Error('TODO: Mailbox.init');
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly capacity: number;
  readonly maxMessageBytes: number;

  /** Attaches to a mailbox that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    // TODO: read capacity and maxMessageBytes from their cells; check the offset with segment.cellIndex.
    [this.segment, this.byteOffset, this.capacity, this.maxMessageBytes] = [
      segment,
      byteOffset,
      0,
      0,
    ];
  }

  /** Messages waiting now: a consistent snapshot. */
  get size(): number {
    throw new Error('TODO: Mailbox.size');
  }

  /** Blocks while full; true once the message is in (capacity 0: once a receiver took it), false on timeout. */
  send(message: Uint8Array, timeoutMs: number = Infinity): boolean {
    // TODO: EINVAL / EMSGSIZE first; lock; `while` closed / full: wait; copy bytes, then length, then count it; wake a receiver.
    throw new Error('TODO: Mailbox.send');
  }
  /** Blocks while empty; a copy of the oldest message, or undefined on timeout or once closed and drained. */
  receive(timeoutMs: number = Infinity): Uint8Array | undefined {
    throw new Error('TODO: Mailbox.receive');
  }
  trySend(message: Uint8Array): boolean {
    throw new Error('TODO: Mailbox.trySend'); // send, never blocking (capacity 0: always false)
  }
  tryReceive(): Uint8Array | undefined {
    throw new Error('TODO: Mailbox.tryReceive'); // receive, never blocking
  }

  /** send() and receive() as Promises: sleep with segment.waitAsync, never segment.wait. */
  async sendAsync(message: Uint8Array, timeoutMs: number = Infinity): Promise<boolean> {
    throw new Error('TODO: Mailbox.sendAsync');
  }
  async receiveAsync(timeoutMs: number = Infinity): Promise<Uint8Array | undefined> {
    throw new Error('TODO: Mailbox.receiveAsync');
  }

  /** No more sends (ECLOSED); receives drain what is left, then return undefined at once. Wakes every sleeper. */
  close(): void {
    throw new Error('TODO: Mailbox.close');
  }

  /** null if every cell holds a legal value, else one line describing them all. */
  checkInvariants(): string | null {
    throw new Error('TODO: Mailbox.checkInvariants');
  }
}
