// Request/reply and producer-consumer with credits, built from the given Mailbox (./mailbox.ts).
// A design that works: README.md, "A design that works".
//
// Invariants:
//   RpcChannel: each call owns one reply box from the moment it takes its number from FREE
//   until it gives it back; only the owner receives from it; a reply carries the id of its call.
//   CreditChannel: credits waiting + messages in flight + credits in hand = `credits`.
// TODO: everything below marked TODO. Task: README.md; stuck? hints.md. Run: npm test -- exercises/22-request-reply
import { Segment } from '@ipc-course/shim';
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

export class RpcChannel {
  /** Bytes a channel needs: EINVAL unless capacity is an integer 1..64 and maxMessageBytes >= 1. */
  static byteLength(options: RpcOptions): number {
    // TODO: one id cell + FREE + REQUEST + `capacity` REPLY mailboxes (Mailbox.byteLength of each).
    throw new Error('TODO: RpcChannel.byteLength');
  }

  /** Lays out an empty channel; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number, options: RpcOptions): RpcChannel {
    // TODO: zero the id cell, Mailbox.init each mailbox, send every slot number to FREE, attach.
    throw new Error('TODO: RpcChannel.init');
  }

  readonly capacity: number = 0;
  readonly maxMessageBytes: number = 0;

  /** Attaches to a channel that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    // TODO: attach to FREE first: its capacity tells where the others are.
  }

  /** Sends `request` and waits for its own reply; undefined if timeoutMs passed first. */
  call(request: Uint8Array, timeoutMs: number = Infinity): Uint8Array | undefined {
    // TODO: check arguments; take a slot from FREE, send [slot, id, request], receive until your id.
    throw new Error('TODO: RpcChannel.call');
  }

  /** Answers `count` requests, each with handler(request), in the order they came. */
  serve(handler: (request: Uint8Array) => Uint8Array, count: number): void {
    // TODO: receive a request, answer [id, handler(bytes)] into its slot's REPLY box; `count` times.
    throw new Error('TODO: RpcChannel.serve');
  }
}

export class CreditChannel {
  /** Bytes a channel needs: EINVAL unless credits is an integer 1..1024 and maxMessageBytes >= 1. */
  static byteLength(options: CreditOptions): number {
    // TODO: a CREDITS mailbox and a DATA mailbox, side by side.
    throw new Error('TODO: CreditChannel.byteLength');
  }

  /** Lays out a channel holding `credits` credits and no message; call once. */
  static init(segment: Segment, byteOffset: number, options: CreditOptions): CreditChannel {
    // TODO: init both mailboxes, then send `credits` empty messages to CREDITS.
    throw new Error('TODO: CreditChannel.init');
  }

  readonly credits: number = 0;
  readonly maxMessageBytes: number = 0;

  constructor(segment: Segment, byteOffset: number) {
    // TODO: attach to both mailboxes (new Mailbox(segment, ...)).
  }

  /** Waits for a credit, then sends: never more than `credits` messages in flight. */
  produce(message: Uint8Array): void {
    // TODO: receive a credit first, then send.
    throw new Error('TODO: CreditChannel.produce');
  }

  /** Receives the oldest message, then gives its credit back to the producer. */
  consume(): Uint8Array {
    // TODO: receive, then send an empty message to CREDITS.
    throw new Error('TODO: CreditChannel.consume');
  }
}
