// PriorityMailbox: a POSIX message queue (mq_send / mq_receive) in shared memory, for any number of
// sender and receiver threads and processes. Up to `capacity` messages of at most `maxMessageBytes`
// bytes, each with a priority 0..priorities-1 (higher = more urgent). receive returns the OLDEST
// message of the HIGHEST priority. send blocks while it is full, receive while it is empty.
// Invariants (whenever no call is inside its critical section): 0 <= size <= capacity; each message
//   is received at most once, whole, in mq_receive's order; a caller sleeps only once a waker will see it.
// TODO: design your cells (README.md, "The cells"), then write everything below marked TODO.
// Task: README.md; stuck? hints.md. Run: npm test -- exercises/19-priority-mailbox
import { Segment, ShimError } from '@ipc-course/shim';

export interface PriorityMailboxOptions {
  capacity: number;
  maxMessageBytes: number;
  priorities?: number;
}
export interface Received {
  message: Uint8Array;
  priority: number;
}

const HEADER = 11; // TODO: the cells before the slots, if your layout needs another number
const SLOT_HEADER = 3; // TODO: the cells of a slot before its bytes (priority, sequence number, length?)
const LIMITS = { capacity: 1 << 16, maxMessageBytes: 1 << 20, priorities: 32768 };

export class PriorityMailbox {
  /** Bytes a mailbox needs; EINVAL unless each option is an integer from 1 to its limit (priorities: default 32). */
  static byteLength(options: PriorityMailboxOptions): number {
    const { capacity, maxMessageBytes, priorities = 32 } = options ?? {};
    for (const [name, value] of Object.entries({ capacity, maxMessageBytes, priorities })) {
      const limit = LIMITS[name as keyof typeof LIMITS];
      if (!Number.isInteger(value) || value < 1 || value > limit)
        throw new ShimError(
          'EINVAL',
          `PriorityMailbox: ${name} must be an integer from 1 to ${limit}, got ${String(value)}`,
        );
    }
    return (HEADER + capacity * (SLOT_HEADER + Math.ceil(maxMessageBytes / 4))) * 4;
  }
  /** Lays out an empty, open mailbox; call once, before any thread uses it. */
  static init(
    segment: Segment,
    byteOffset: number,
    options: PriorityMailboxOptions,
  ): PriorityMailbox {
    // TODO: check the options (byteLength does), zero every cell, store the options, mark every slot free, attach.
    throw new Error('TODO: PriorityMailbox.init');
  }
  readonly segment: Segment;
  readonly byteOffset: number;
  readonly capacity: number = 0; // TODO: read these three from the cells init wrote
  readonly maxMessageBytes: number = 0;
  readonly priorities: number = 0;
  /** Attaches to a mailbox that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    // TODO: read the options from their cells; check the offset with segment.cellIndex.
    this.segment = segment;
    this.byteOffset = byteOffset;
  }
  /** Messages in the mailbox now, 0..capacity: a consistent snapshot. */
  get size(): number {
    throw new Error('TODO: PriorityMailbox.size');
  }
  /** Blocks while full; true once sent, false on timeout. EMSGSIZE if too long, EINVAL for a bad priority, ECLOSED once closed. */
  send(message: Uint8Array, priority: number, timeoutMs: number = Infinity): boolean {
    // TODO: check the arguments; lock; `while` closed / full: wait for room; copy the bytes into a free
    // slot with the next sequence number, and only then mark it full; wake a receiver.
    throw new Error('TODO: PriorityMailbox.send');
  }
  /** Blocks while empty; the oldest message of the highest priority, or undefined on timeout or once closed and drained. */
  receive(timeoutMs: number = Infinity): Received | undefined {
    throw new Error('TODO: PriorityMailbox.receive'); // copy the bytes out before you free the slot
  }
  trySend(message: Uint8Array, priority: number): boolean {
    throw new Error('TODO: PriorityMailbox.trySend'); // send, never blocking: false when full
  }
  tryReceive(): Received | undefined {
    throw new Error('TODO: PriorityMailbox.tryReceive'); // receive, never blocking
  }
  /** send() as a Promise: sleeps with segment.waitAsync, never segment.wait. Rejects with the same codes. */
  async sendAsync(
    message: Uint8Array,
    priority: number,
    timeoutMs: number = Infinity,
  ): Promise<boolean> {
    throw new Error('TODO: PriorityMailbox.sendAsync');
  }
  async receiveAsync(timeoutMs: number = Infinity): Promise<Received | undefined> {
    throw new Error('TODO: PriorityMailbox.receiveAsync');
  }
  /** No more sends; receives drain what is left, then return undefined at once. Wakes every sleeper. */
  close(): void {
    throw new Error('TODO: PriorityMailbox.close');
  }
  /** null if every cell holds a legal value, else one line describing them all. */
  checkInvariants(): string | null {
    throw new Error('TODO: PriorityMailbox.checkInvariants');
  }
}
