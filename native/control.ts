// Controlled scheduling, the actor's side. When the grader runs learner code
// under control, every shim call of an actor (a worker thread or a child
// process) is a scheduling point: the actor posts the operation it is about to
// do in its slot of the control segment, gives the right to run back to the
// scheduler, and sleeps until the scheduler picks it. A futex wait never
// sleeps on the learner's cell: the actor tells the scheduler it is blocked,
// and the scheduler wakes it on a notify of that cell, at its timeout in
// virtual time, or spuriously. Layout and protocol: control-layout.ts.
//
// Virtual time: while a run is under control, performance.now() and Date.now()
// in the actor read the scheduler's clock, so a deadline loop over wait() sees
// its timeout expire exactly when the scheduler fires it.
import { native, type WaitResult } from './binding.ts';
import { callSite } from './call-site.ts';
import { ShimError } from './errors.ts';
import {
  HEADER,
  SLOT,
  STATE,
  WAIT_CODES,
  NAME_BYTES,
  WHERE_BYTES,
  PAYLOAD_BYTES,
  opCode,
  slotCell,
  slotNameOffset,
  slotWhereOffset,
  slotPayloadOffset,
  type OpName,
} from './control-layout.ts';

/** Where Segment sends its operations while a controlled run is on (null: never). */
export const control: { point: ControlledActor | null } = { point: null };

/** Longest single futex sleep of the protocol; below IPC_SHIM_WAIT_LIMIT_MS, so idle actors never hit it. */
const SLEEP_SLICE_MS = 1000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class ControlledActor {
  readonly #sab: SharedArrayBuffer;
  readonly #cells: Int32Array;
  readonly #actor: number;
  #lastName = '';
  #observe: { cells: Int32Array; index: number } | null = null;
  #pendingAsync = false;
  #realNow: (() => number) | null = null;
  #realDateNow: (() => number) | null = null;

  /** Attaches to slot `actor` of the control segment `segmentName`. */
  constructor(segmentName: string, actor: number) {
    this.#sab = native.openSegment(segmentName);
    this.#cells = new Int32Array(this.#sab);
    this.#actor = actor;
  }

  #cell(cell: number): number {
    return slotCell(this.#actor, cell);
  }
  #get(cell: number): number {
    return Atomics.load(this.#cells, this.#cell(cell));
  }
  #set(cell: number, value: number): void {
    Atomics.store(this.#cells, this.#cell(cell), value);
  }

  /** Sleeps until the scheduler starts a run after `lastRun`; null when told to shut down. */
  nextRun(lastRun: number): { run: number; args: unknown } | null {
    for (;;) {
      if (Atomics.load(this.#cells, HEADER.SHUTDOWN) !== 0) return null;
      const run = Atomics.load(this.#cells, HEADER.RUN);
      if (run !== lastRun) return { run, args: JSON.parse(this.#readPayload()) };
      native.wait(this.#sab, HEADER.RUN, run, SLEEP_SLICE_MS);
    }
  }

  /** Takes control of this thread's shim calls and the clocks, then waits to be scheduled. */
  begin(): void {
    this.#observe = null;
    this.#lastName = '';
    this.#pendingAsync = false;
    control.point = this;
    const base = performance.now();
    const dateBase = Date.now();
    this.#realNow = performance.now;
    this.#realDateNow = Date.now;
    performance.now = () => base + Atomics.load(this.#cells, HEADER.CLOCK);
    Date.now = () => dateBase + Atomics.load(this.#cells, HEADER.CLOCK);
    this.enter('', 'start', 0, 0, 0, null);
  }

  /** Gives the clocks and shim calls back, posts the outcome, and hands the right to run back for good. */
  finish(outcome: unknown): void {
    control.point = null;
    if (this.#realNow) performance.now = this.#realNow;
    if (this.#realDateNow) Date.now = this.#realDateNow;
    this.#observePrevious();
    let json = JSON.stringify(outcome ?? null) ?? 'null';
    if (encoder.encode(json).length > PAYLOAD_BYTES)
      json = JSON.stringify({
        kind: 'error',
        message: `the outcome is over ${PAYLOAD_BYTES} bytes of JSON`,
      });
    this.#writePayload(json);
    this.#handBack(STATE.FINISHED);
  }

  /** Closes this thread's view of the control segment. */
  close(): void {
    if (control.point === this) control.point = null;
  }

  /** A scheduling point before a memory operation; on return the caller performs it. */
  enter(
    segmentName: string,
    op: OpName,
    index: number,
    arg1: number,
    arg2: number,
    cells: Int32Array | null,
    timeoutMs = -1,
  ): void {
    if (this.#pendingAsync) {
      throw new ShimError(
        'EINVAL',
        `controlled run: ${op} while this actor's waitAsync is pending (an actor does one shim call at a time)`,
      );
    }
    this.#checkAbort();
    this.#observePrevious();
    this.#set(SLOT.OP, opCode(op));
    if (segmentName !== this.#lastName) this.#writeName(segmentName);
    this.#set(SLOT.INDEX, index);
    this.#set(SLOT.ARG1, arg1);
    this.#set(SLOT.ARG2, arg2);
    this.#set(SLOT.TIMEOUT, timeoutMs);
    this.#writeWhere(op === 'start' ? '' : callSite());
    this.#handBack(STATE.REQUEST);
    this.#sleepUntilGo();
    const old = cells ? Atomics.load(cells, index) : 0;
    this.#set(SLOT.OLD, old);
    this.#set(SLOT.NEW, old);
    this.#observe = cells ? { cells, index } : null;
  }

  /** Segment.wait under control: blocked in the scheduler's books, never on the learner's cell. */
  wait(
    segmentName: string,
    cells: Int32Array,
    index: number,
    expected: number,
    timeoutMs: number,
  ): WaitResult {
    const early = this.#startWait(segmentName, cells, index, expected, timeoutMs);
    if (early) return early;
    this.#handBack(STATE.BLOCKED);
    this.#sleepUntilGo();
    return this.#wakeResult();
  }

  /** Segment.waitAsync under control: as wait(), but the sleep for the scheduler's wake-up does not block the event loop. */
  async waitAsync(
    segmentName: string,
    cells: Int32Array,
    index: number,
    expected: number,
    timeoutMs: number,
  ): Promise<WaitResult> {
    const early = this.#startWait(segmentName, cells, index, expected, timeoutMs);
    if (early) return early;
    this.#pendingAsync = true;
    this.#handBack(STATE.BLOCKED);
    try {
      while (this.#get(SLOT.GO) === 0)
        await native.waitAsync(this.#sab, this.#cell(SLOT.GO), 0, SLEEP_SLICE_MS);
    } finally {
      this.#pendingAsync = false;
    }
    this.#set(SLOT.GO, 0);
    this.#checkAbort();
    return this.#wakeResult();
  }

  /** Segment.notify under control: the scheduler chooses who wakes and says how many did. */
  notify(segmentName: string, index: number, count: number): number {
    this.enter(
      segmentName,
      'notify',
      index,
      count === Infinity ? -1 : Math.min(count, 2 ** 31 - 1),
      0,
      null,
    );
    return this.#get(SLOT.RESULT);
  }

  #startWait(
    segmentName: string,
    cells: Int32Array,
    index: number,
    expected: number,
    timeoutMs: number,
  ): WaitResult | null {
    this.enter(
      segmentName,
      'wait',
      index,
      expected | 0,
      0,
      cells,
      timeoutMs === Infinity ? -1 : Math.ceil(timeoutMs),
    );
    const early: WaitResult | null =
      Atomics.load(cells, index) !== (expected | 0)
        ? 'not-equal'
        : timeoutMs === 0
          ? 'timed-out'
          : null;
    if (early) this.#set(SLOT.RESULT, WAIT_CODES.indexOf(early));
    return early;
  }

  #wakeResult(): WaitResult {
    return WAIT_CODES[this.#get(SLOT.RESULT)] ?? 'ok';
  }

  #observePrevious(): void {
    if (this.#observe) this.#set(SLOT.NEW, Atomics.load(this.#observe.cells, this.#observe.index));
    this.#observe = null;
  }

  #handBack(state: number): void {
    this.#set(SLOT.STATE, state);
    Atomics.add(this.#cells, HEADER.HANDBACK, 1);
    native.notify(this.#sab, HEADER.HANDBACK, 1);
  }

  #sleepUntilGo(): void {
    const go = this.#cell(SLOT.GO);
    while (Atomics.load(this.#cells, go) === 0) native.wait(this.#sab, go, 0, SLEEP_SLICE_MS);
    Atomics.store(this.#cells, go, 0);
    this.#checkAbort();
  }

  #checkAbort(): void {
    if (this.#get(SLOT.ABORT) !== 0)
      throw new ShimError('EABORTED', 'controlled run stopped by the scheduler');
  }

  #writeName(name: string): void {
    const bytes = encoder.encode(name).subarray(0, NAME_BYTES - 1);
    const view = new Uint8Array(this.#sab, slotNameOffset(this.#actor), NAME_BYTES);
    view.fill(0);
    view.set(bytes);
    this.#lastName = name;
  }

  #writeWhere(where: string): void {
    const bytes = encoder.encode(where).subarray(0, WHERE_BYTES - 1);
    const view = new Uint8Array(this.#sab, slotWhereOffset(this.#actor), WHERE_BYTES);
    view.fill(0);
    view.set(bytes);
  }

  #readPayload(): string {
    const length = this.#get(SLOT.PAYLOAD_LENGTH);
    return decoder.decode(
      new Uint8Array(this.#sab, slotPayloadOffset(this.#actor), length).slice(),
    );
  }

  #writePayload(json: string): void {
    const bytes = encoder.encode(json);
    new Uint8Array(this.#sab, slotPayloadOffset(this.#actor), bytes.length).set(bytes);
    this.#set(SLOT.PAYLOAD_LENGTH, bytes.length);
  }
}
