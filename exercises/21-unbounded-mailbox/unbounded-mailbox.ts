// UnboundedMailbox: whole messages from any number of senders to any number of receivers,
// threads and processes, where send never blocks. Messages live in chunk segments of
// chunkMessages slots, named `${segment.name}-${byteOffset}-${generation}`: a send that finds
// no room creates the next one; the receive that empties one unlinks it. Layout: README.md.
//
// Invariants (whenever no call is inside its critical section):
//   the live chunks are consecutive generations, oldest first; each message is whole, received
//   at most once, in the order sent; the chunks' bytes never pass maxTotalBytes.
// TODO: design your header cells, then write everything below marked TODO. Task:
// README.md; stuck? hints.md. Run: npm test -- exercises/21-unbounded-mailbox
import { Segment, ShimError } from '@ipc-course/shim';

export interface UnboundedMailboxOptions {
  maxMessageBytes: number;
  chunkMessages: number;
  maxTotalBytes: number;
}

export class UnboundedMailbox {
  /** Bytes of the header in the caller's segment: EINVAL unless maxMessageBytes is an integer 1..1 MiB. */
  static byteLength(options: Pick<UnboundedMailboxOptions, 'maxMessageBytes'>): number {
    // TODO: check maxMessageBytes (ShimError('EINVAL', ...)); return 4 * your header cells.
    throw new Error('TODO: UnboundedMailbox.byteLength');
  }

  /** Lays out an empty, open mailbox (no chunk yet); call once, before any thread uses it. */
  static init(
    segment: Segment,
    byteOffset: number,
    options: UnboundedMailboxOptions,
  ): UnboundedMailbox {
    // TODO: EINVAL for bad numbers, or one chunk over maxTotalBytes; zero the header, store the options, attach.
    throw new Error('TODO: UnboundedMailbox.init');
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  readonly maxMessageBytes: number;
  readonly chunkMessages: number;
  readonly maxTotalBytes: number;

  /** Attaches to a mailbox that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    // TODO: read the options from their cells; keep a Map of this thread's chunk mappings.
    [this.segment, this.byteOffset, this.maxMessageBytes, this.chunkMessages, this.maxTotalBytes] =
      [segment, byteOffset, 0, 0, 0];
  }

  /** The name of chunk `generation`. */
  chunkName(generation: number): string {
    return `${this.segment.name}-${this.byteOffset}-${generation}`;
  }

  /** Never blocks. ECLOSED after close, EMSGSIZE over maxMessageBytes, ENOMEM if a new chunk would pass maxTotalBytes. */
  send(message: Uint8Array): void {
    // TODO: lock; if no chunk or the newest is full: check the limit, Segment.create the next
    // generation, then record it in the header; copy bytes and length; count it; wake a receiver.
    throw new Error('TODO: UnboundedMailbox.send');
  }

  /** Blocks while empty; a copy of the oldest message, or undefined on timeout or once closed and drained. */
  receive(timeoutMs: number = Infinity): Uint8Array | undefined {
    // TODO: lock; `while` empty: closed? timeout? wait; open the oldest chunk (cache it), copy out;
    // if that was its last slot, or the mailbox is now empty: Segment.unlink it and close your mapping.
    throw new Error('TODO: UnboundedMailbox.receive');
  }
  tryReceive(): Uint8Array | undefined {
    throw new Error('TODO: UnboundedMailbox.tryReceive'); // receive, never blocking
  }
  /** receive() as a Promise: sleeps with segment.waitAsync, never segment.wait. */
  async receiveAsync(timeoutMs: number = Infinity): Promise<Uint8Array | undefined> {
    throw new Error('TODO: UnboundedMailbox.receiveAsync');
  }

  /** No more sends (ECLOSED); receives drain what is left, then return undefined at once. Wakes every receiver. */
  close(): void {
    throw new Error('TODO: UnboundedMailbox.close');
  }
}
