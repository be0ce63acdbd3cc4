// Port: the receive end of one process's port in a PortRegistry (ports.ts has the cells).
// Only its owner receives. receive() with `from` is symmetric naming: it takes the oldest
// message from that pid and leaves the others queued, in order; without `from` it takes the
// oldest message from anyone and says who sent it (asymmetric naming).
// Invariant: while this Port is open, its slot's OWNER is `pid` and GENERATION `generation`;
// close() (or a later open by a process that reused the pid) changes them, and then every
// call here throws ECLOSED.
// TODO: write everything marked TODO. Task: README.md; stuck? hints.md.
import { ShimError } from '@ipc-course/shim';
import {
  ARRIVED,
  COUNT,
  FREED,
  GENERATION,
  OWNER,
  checkPid,
  checkTimeout,
  type PortRegistry,
  type Received,
  type Steps,
} from './ports.ts';

export interface ReceiveOptions {
  from?: number;
  timeoutMs?: number;
}

export class Port {
  constructor(
    readonly registry: PortRegistry,
    readonly slot: number,
    readonly pid: number,
    readonly generation: number,
  ) {}

  /** Blocks until a message (from `from`, if given) is queued; undefined on timeout. */
  receive(options: ReceiveOptions = {}): Received | undefined {
    return this.registry.run(this.receiveSteps(options, 'receive'));
  }
  tryReceive(options: { from?: number } = {}): Received | undefined {
    return this.registry.run(this.receiveSteps({ from: options.from, timeoutMs: 0 }, 'tryReceive'));
  }
  /** receive() as a Promise: sleeps with waitAsync, so the event loop keeps running. */
  async receiveAsync(options: ReceiveOptions = {}): Promise<Received | undefined> {
    throw new Error('TODO: Port.receiveAsync');
  }
  /** Frees the slot: queued messages are dropped, later sends get ENOPORT, blocked senders wake. */
  close(): void {
    throw new Error('TODO: Port.close');
  }

  /** ECLOSED once closed; EINVAL for a bad `from` or timeout. */
  *receiveSteps(
    { from, timeoutMs = Infinity }: ReceiveOptions,
    what: string,
  ): Steps<Received | undefined> {
    // TODO: lock; loop: ECLOSED unless isOpen(); find(from) and take() it; else sleep on ARRIVED
    // until the deadline (registry.await); unlock in a finally.
    throw new Error('TODO: Port.receive');
  }
  /** Call only when holding LOCK. */
  isOpen(): boolean {
    return (
      this.registry.load(this.slot, OWNER) === this.pid &&
      this.registry.load(this.slot, GENERATION) === this.generation
    );
  }
  /** Call only when holding LOCK: the index of the oldest message from `from` (from anyone if undefined), or -1. */
  find(from: number | undefined): number {
    throw new Error('TODO: Port.find');
  }
  /** Call only when holding LOCK: removes message `index`; the later ones move up a place, keeping their order. */
  take(index: number): Received {
    throw new Error('TODO: Port.take (then signal FREED)');
  }
}
