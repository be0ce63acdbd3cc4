// Port: the receive end of one process's port in a PortRegistry (ports.ts has the cells).
// Only its owner receives. receive() with `from` is symmetric naming: it takes the oldest
// message from that pid and leaves the others queued, in order; without `from` it takes the
// oldest message from anyone and says who sent it (asymmetric naming).
// Invariant: while this Port is open, its slot's OWNER is `pid` and GENERATION `generation`;
// close() (or a later open by a process that reused the pid) changes them, and then every
// call here throws ECLOSED.
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
    return this.registry.runAsync(this.receiveSteps(options, 'receiveAsync'));
  }
  /** Frees the slot: queued messages are dropped, later sends get ENOPORT, blocked senders wake. */
  close(): void {
    const registry = this.registry;
    registry.run(registry.lock());
    try {
      if (this.isOpen()) registry.release(this.slot);
    } finally {
      registry.unlock();
    }
  }

  *receiveSteps(
    { from, timeoutMs = Infinity }: ReceiveOptions,
    what: string,
  ): Steps<Received | undefined> {
    if (from !== undefined) checkPid(from, what);
    const deadline = performance.now() + checkTimeout(timeoutMs, what);
    const registry = this.registry;
    yield* registry.lock();
    try {
      for (;;) {
        if (!this.isOpen())
          throw new ShimError('ECLOSED', `Port.${what}: the port of process ${this.pid} is closed`);
        const index = this.find(from);
        if (index >= 0) return this.take(index);
        const remaining = deadline - performance.now();
        if (remaining <= 0) return undefined;
        yield* registry.await(this.slot, ARRIVED, remaining); // close() bumps ARRIVED too
      }
    } finally {
      registry.unlock();
    }
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
    const count = this.registry.load(this.slot, COUNT);
    for (let index = 0; index < count; index++) {
      if (
        from === undefined ||
        this.registry.segment.load(this.registry.messageCell(this.slot, index)) === from
      )
        return index;
    }
    return -1;
  }
  /** Call only when holding LOCK: removes message `index`; the later ones move up a place, keeping their order. */
  take(index: number): Received {
    const { registry, slot } = this;
    const segment = registry.segment;
    const at = registry.messageCell(slot, index);
    const received = {
      from: segment.load(at),
      message: segment.read((at + 2) * 4, segment.load(at + 1)),
    };
    const count = registry.load(slot, COUNT);
    const last = registry.messageCell(slot, count - 1);
    const stride = registry.messageCell(slot, 1) - registry.messageCell(slot, 0);
    if (last > at) segment.write(at * 4, segment.read((at + stride) * 4, (last - at) * 4));
    registry.store(slot, COUNT, count - 1);
    registry.signal(slot, FREED); // after the change: a blocked sender finds the room
    return received;
  }
}
