// PortRegistry: direct message passing between processes. Each process opens at most one
// Port (its receive end, named by its pid); any thread or process sends bytes to a pid.
// Cells (byteOffset + 4 * i): header, then maxPorts port slots.
//   0 LOCK  the futex mutex of 04, guarding every other cell   1 MAX_PORTS  2 CAPACITY
//   3 MAX_BYTES  4 OPENS  opens ever made: each open's number is its port's generation
// A slot: OWNER pid (0 free), START (the owner's start time, see startTime), GENERATION,
//   COUNT, ARRIVED (bumped by send and close: the owner sleeps on it), FREED (bumped by
//   receive and close: senders sleep on it), then CAPACITY messages of [FROM, LENGTH, bytes].
// Invariants (LOCK free): messages 0 .. COUNT-1 are queued oldest first; 0 <= COUNT <= CAPACITY;
//   no two slots have the same OWNER; a free slot has COUNT 0.
// A port is alive while OWNER, START, GENERATION name it and its owner runs. A killed owner wakes
// nobody, so a sender asleep on a full port wakes every POLL_MS to look: ENOPORT latency <= POLL_MS.
import { readFileSync } from 'node:fs';
import { Segment, ShimError, getpid } from '@ipc-course/shim';
import { Port } from './port.ts';
const LOCK = 0,
  MAX_PORTS = 1,
  CAPACITY = 2,
  MAX_BYTES = 3,
  OPENS = 4,
  HEADER = 5;
export const OWNER = 0,
  START = 1,
  GENERATION = 2,
  COUNT = 3,
  ARRIVED = 4,
  FREED = 5,
  SLOT_HEADER = 6;
export const POLL_MS = 100;
export interface PortOptions {
  maxPorts: number;
  capacity: number;
  maxMessageBytes: number;
}
export interface Received {
  from: number;
  message: Uint8Array;
}
export type Steps<T> = Generator<
  readonly [cell: number, expected: number, timeoutMs: number],
  T,
  void
>;
export const fail = (code: string, message: string): never => {
  throw new ShimError(code, message);
};
export const checkTimeout = (ms: unknown, what: string): number =>
  typeof ms === 'number' && ms >= 0
    ? ms
    : fail('EINVAL', `${what}: timeoutMs must be a number >= 0 (or Infinity), got ${String(ms)}`);
export const checkPid = (pid: unknown, what: string): number =>
  Number.isInteger(pid) && (pid as number) > 0 && (pid as number) < 2 ** 31
    ? (pid as number)
    : fail('EINVAL', `${what}: a pid must be an integer > 0, got ${String(pid)}`);
/** The process's start time in clock ticks since boot (/proc/PID/stat field 22), or -1 once it is gone or a zombie. */
function startTime(pid: number): number {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as { code?: string }).code === 'ESRCH') return -1;
  }
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? -1 : Number(fields[19]) % 2 ** 31;
  } catch {
    return -1;
  }
}
const ownSlotCells = (o: PortOptions) =>
  SLOT_HEADER + o.capacity * (2 + Math.ceil(o.maxMessageBytes / 4));
export class PortRegistry {
  static byteLength(options: PortOptions): number {
    const { maxPorts, capacity, maxMessageBytes } = options ?? {};
    const ok = [maxPorts, capacity, maxMessageBytes].every(
      (n) => Number.isInteger(n) && n >= 1 && n <= 1 << 16,
    );
    if (!ok)
      fail(
        'EINVAL',
        `PortRegistry: maxPorts, capacity and maxMessageBytes must be integers from 1 to 65536, got ${JSON.stringify(options)}`,
      );
    return (HEADER + maxPorts * ownSlotCells(options)) * 4;
  }
  static init(segment: Segment, byteOffset: number, options: PortOptions): PortRegistry {
    const cells = PortRegistry.byteLength(options) / 4;
    const base = segment.cellIndex(byteOffset, cells);
    for (let cell = 0; cell < cells; cell++) segment.store(base + cell, 0);
    [options.maxPorts, options.capacity, options.maxMessageBytes].forEach((n, i) =>
      segment.store(base + MAX_PORTS + i, n),
    );
    return new PortRegistry(segment, byteOffset);
  }
  readonly options: PortOptions;
  readonly #base: number;
  readonly #slotCells: number;
  constructor(
    readonly segment: Segment,
    readonly byteOffset: number,
  ) {
    const at = segment.cellIndex(byteOffset, HEADER);
    this.options = {
      maxPorts: segment.load(at + MAX_PORTS),
      capacity: segment.load(at + CAPACITY),
      maxMessageBytes: segment.load(at + MAX_BYTES),
    };
    this.#base = segment.cellIndex(byteOffset, PortRegistry.byteLength(this.options) / 4);
    this.#slotCells = ownSlotCells(this.options);
  }
  /** The calling process's port. EEXIST if it has one open; ENOSPC if every slot has a live owner. */
  open(): Port {
    const pid = getpid(),
      start = startTime(pid);
    this.run(this.lock());
    try {
      let free = this.slotOf(pid); // a port left by a dead process whose pid we got: ours to reuse
      if (free >= 0 && this.load(free, START) === start)
        fail('EEXIST', `PortRegistry.open: process ${pid} already has an open port`);
      for (let slot = 0; free < 0 && slot < this.options.maxPorts; slot++) {
        const owner = this.load(slot, OWNER);
        if (owner === 0 || startTime(owner) !== this.load(slot, START)) free = slot; // free, or its owner has exited
      }
      if (free < 0)
        fail('ENOSPC', `PortRegistry.open: all ${this.options.maxPorts} ports have a live owner`);
      const generation = this.segment.add(this.#base + OPENS, 1) + 1;
      this.release(free); // the last owner's messages go: a reused pid must not read them
      [pid, start, generation].forEach((value, i) => this.store(free, OWNER + i, value));
      return new Port(this, free, pid, generation);
    } finally {
      this.unlock();
    }
  }
  send(pid: number, message: Uint8Array, timeoutMs: number = Infinity): boolean {
    return this.run(this.sendSteps(pid, message, checkTimeout(timeoutMs, 'send')));
  }
  trySend(pid: number, message: Uint8Array): boolean {
    return this.run(this.sendSteps(pid, message, 0));
  }
  *sendSteps(pid: number, message: Uint8Array, timeoutMs: number): Steps<boolean> {
    checkPid(pid, 'send');
    if (!(message instanceof Uint8Array))
      fail('EINVAL', `send: the message must be a Uint8Array, got ${typeof message}`);
    if (message.length > this.options.maxMessageBytes)
      fail(
        'EMSGSIZE',
        `send: ${message.length} bytes, over maxMessageBytes ${this.options.maxMessageBytes}`,
      );
    const deadline = performance.now() + timeoutMs;
    let slot = -1,
      generation = 0;
    yield* this.lock();
    try {
      for (;;) {
        if (slot < 0) slot = this.slotOf(pid);
        if (slot < 0 || (generation !== 0 && this.load(slot, GENERATION) !== generation))
          fail('ENOPORT', `send: process ${pid} has no open port`);
        generation = this.load(slot, GENERATION);
        if (startTime(pid) !== this.load(slot, START))
          fail('ENOPORT', `send: the owner of process ${pid}'s port has exited`);
        const count = this.load(slot, COUNT);
        if (count < this.options.capacity) {
          const at = this.messageCell(slot, count);
          this.segment.store(at, getpid());
          this.segment.write((at + 2) * 4, message); // bytes, then LENGTH and COUNT: all under LOCK, so never seen torn
          this.segment.store(at + 1, message.length);
          this.store(slot, COUNT, count + 1);
          this.signal(slot, ARRIVED); // after the change; the owner may want this sender only, so wake it every time
          return true;
        }
        const remaining = deadline - performance.now();
        if (remaining <= 0) return false;
        yield* this.await(slot, FREED, Math.min(remaining, POLL_MS)); // bounded: the owner may die while we sleep
      }
    } finally {
      this.unlock();
    }
  }
  /** Call only when holding LOCK: the slot owned by pid, or -1. */
  slotOf(pid: number): number {
    for (let slot = 0; slot < this.options.maxPorts; slot++)
      if (this.load(slot, OWNER) === pid) return slot;
    return -1;
  }
  /** Call only when holding LOCK: empties the slot and wakes everyone who sleeps on it. */
  release(slot: number): void {
    for (const cell of [OWNER, START, GENERATION, COUNT]) this.store(slot, cell, 0);
    this.signal(slot, ARRIVED);
    this.signal(slot, FREED);
  }
  /** Call only when holding LOCK; returns holding it again. Sleeps at most timeoutMs. */
  *await(slot: number, condition: number, timeoutMs: number): Steps<void> {
    const seen = this.load(slot, condition); // read under LOCK: a signal from now on changes it (partner: signal)
    this.unlock();
    yield [this.cell(slot, condition), seen, timeoutMs];
    yield* this.lock();
  }
  signal(slot: number, condition: number): void {
    this.segment.add(this.cell(slot, condition), 1);
    this.segment.notify(this.cell(slot, condition));
  }
  cell = (slot: number, cell: number) => this.#base + HEADER + slot * this.#slotCells + cell;
  load = (slot: number, cell: number) => this.segment.load(this.cell(slot, cell));
  store = (slot: number, cell: number, value: number) =>
    this.segment.store(this.cell(slot, cell), value);
  messageCell = (slot: number, index: number) =>
    this.cell(slot, SLOT_HEADER + index * (2 + Math.ceil(this.options.maxMessageBytes / 4)));
  *lock(): Steps<void> {
    let state = this.segment.compareExchange(this.#base + LOCK, 0, 1);
    if (state !== 0 && state !== 2) state = this.segment.exchange(this.#base + LOCK, 2);
    for (; state !== 0; state = this.segment.exchange(this.#base + LOCK, 2))
      yield [this.#base + LOCK, 2, Infinity];
  }
  unlock(): void {
    if (this.segment.exchange(this.#base + LOCK, 0) === 2)
      this.segment.notify(this.#base + LOCK, 1);
  }
  /** Runs step functions, sleeping in the futex where they ask; runAsync with waitAsync. */
  run<T>(steps: Steps<T>): T {
    for (let step = steps.next(); ; step = steps.next())
      if (step.done) return step.value;
      else this.segment.wait(...step.value);
  }
  async runAsync<T>(steps: Steps<T>): Promise<T> {
    for (let step = steps.next(); ; step = steps.next())
      if (step.done) return step.value;
      else await this.segment.waitAsync(...step.value);
  }
  /** null if every slot holds legal values, else one line describing the first that does not. */
  checkInvariants(): string | null {
    const owners: number[] = [];
    for (let slot = 0; slot < this.options.maxPorts; slot++) {
      const owner = this.load(slot, OWNER),
        count = this.load(slot, COUNT);
      if (
        count < 0 ||
        count > this.options.capacity ||
        owner < 0 ||
        (owner === 0 ? count !== 0 : owners.includes(owner))
      )
        return `PortRegistry segment="${this.segment.name}" slot ${slot}: owner=${owner} count=${count} capacity=${this.options.capacity}`;
      owners.push(owner || -1);
    }
    return null;
  }
}
