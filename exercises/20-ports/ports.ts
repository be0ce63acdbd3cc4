// PortRegistry: direct message passing between processes. Each process opens at most one
// Port (port.ts: its receive end, named by its pid); any thread or process sends to a pid.
// Cells (byteOffset + 4 * i): header, then maxPorts slots; README.md, "The cells".
//   0 LOCK (the futex mutex of 04: guards every other cell)  1 MAX_PORTS  2 CAPACITY  3 MAX_BYTES  4 OPENS
// A slot: OWNER pid (0 free), START, GENERATION, COUNT, ARRIVED (the owner sleeps on it),
//   FREED (senders sleep on it), then CAPACITY messages of [FROM, LENGTH, bytes...].
// Invariants (LOCK free): messages 0 .. COUNT-1 are queued oldest first; 0 <= COUNT <= CAPACITY;
//   no two slots have the same OWNER; a free slot has COUNT 0.
// TODO: write everything marked TODO here and in port.ts. Task: README.md; stuck? hints.md.
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
export const POLL_MS = 100; // a blocked sender re-checks its target's owner at least this often
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
    : fail('EINVAL', `${what}: timeoutMs must be a number >= 0, got ${String(ms)}`);
export const checkPid = (pid: unknown, what: string): number =>
  Number.isInteger(pid) && (pid as number) > 0 && (pid as number) < 2 ** 31
    ? (pid as number)
    : fail('EINVAL', `${what}: a pid must be an integer > 0, got ${String(pid)}`);
/** The process's start time (/proc/PID/stat field 22): -1 once it has exited (or is a zombie). */
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
const slotCells = (o: PortOptions) =>
  SLOT_HEADER + o.capacity * (2 + Math.ceil(o.maxMessageBytes / 4));

export class PortRegistry {
  static byteLength(options: PortOptions): number {
    const ok = [options?.maxPorts, options?.capacity, options?.maxMessageBytes].every(
      (n) => Number.isInteger(n) && n >= 1 && n <= 1 << 16,
    );
    if (!ok)
      fail(
        'EINVAL',
        `PortRegistry: maxPorts, capacity and maxMessageBytes must be integers from 1 to 65536, got ${JSON.stringify(options)}`,
      );
    return (HEADER + options.maxPorts * slotCells(options)) * 4;
  }
  static init(segment: Segment, byteOffset: number, options: PortOptions): PortRegistry {
    const cells = PortRegistry.byteLength(options) / 4,
      base = segment.cellIndex(byteOffset, cells);
    for (let cell = 0; cell < cells; cell++) segment.store(base + cell, 0);
    [options.maxPorts, options.capacity, options.maxMessageBytes].forEach((n, i) =>
      segment.store(base + MAX_PORTS + i, n),
    );
    return new PortRegistry(segment, byteOffset);
  }
  readonly options: PortOptions;
  readonly #base: number;
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
  }
  /** The calling process's port: EEXIST if it has one open, ENOSPC if every slot has a live owner. */
  open(): Port {
    throw new Error('TODO: PortRegistry.open (empty the slot you take: new GENERATION from OPENS)');
  }
  send(pid: number, message: Uint8Array, timeoutMs: number = Infinity): boolean {
    return this.run(this.sendSteps(pid, message, checkTimeout(timeoutMs, 'send')));
  }
  trySend(pid: number, message: Uint8Array): boolean {
    return this.run(this.sendSteps(pid, message, 0));
  }
  /** EINVAL, EMSGSIZE, ENOPORT (no port, or its owner has exited); blocks while full, waking every POLL_MS. */
  *sendSteps(pid: number, message: Uint8Array, timeoutMs: number): Steps<boolean> {
    throw new Error('TODO: PortRegistry.send');
  }
  /** Call only when holding LOCK: empties the slot and wakes everyone who sleeps on it. */
  release(slot: number): void {
    throw new Error('TODO: PortRegistry.release');
  }
  /** Call only when holding LOCK; returns holding it again. Sleeps at most timeoutMs on `condition`. */
  *await(slot: number, condition: number, timeoutMs: number): Steps<void> {
    throw new Error('TODO: PortRegistry.await');
  }
  signal(slot: number, condition: number): void {
    throw new Error('TODO: PortRegistry.signal (bump, then notify)');
  }
  cell = (slot: number, cell: number) =>
    this.#base + HEADER + slot * slotCells(this.options) + cell;
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
}
