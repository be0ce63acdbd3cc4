// The control segment of controlled scheduling: the cells a scheduler (the
// grader's harness) and its actors (worker threads and child processes running
// learner code) use to hand the right to run back and forth. Shared by
// native/control.ts (the actor side) and grader/harness/schedule/ (the scheduler).
//
// Invariant: at most one actor has GO = 1 at any time, and while it has, the
// scheduler sleeps on HANDBACK. So exactly one of them runs between two shim
// calls, and the order of shim calls is the scheduler's choice.

/** Header cells (cell index = byteOffset / 4). */
export const HEADER = {
  /** Bumped by an actor when it gives the right to run back; the scheduler sleeps on it. */
  HANDBACK: 0,
  /** Bumped by the scheduler to start a run; idle actors sleep on it. */
  RUN: 1,
  /** 1: actors leave their loop and exit. */
  SHUTDOWN: 2,
  /** Virtual time of the run in whole milliseconds (performance.now() in a controlled actor). */
  CLOCK: 3,
  CELLS: 16,
} as const;

/** Cells of one actor's slot, relative to the slot's first cell. */
export const SLOT = {
  /** 1: this actor may run (set by the scheduler, cleared by the actor). */
  GO: 0,
  STATE: 1,
  OP: 2,
  /** Cell index (byte offset for read/write). */
  INDEX: 3,
  ARG1: 4,
  ARG2: 5,
  /** A wait's timeout in whole ms (rounded up), or -1 for none. */
  TIMEOUT: 6,
  /** The cell's value when the operation ran, and after it (for the trace). */
  OLD: 7,
  NEW: 8,
  /** wait: a WaitCode; notify: how many woke. Written by the scheduler. */
  RESULT: 9,
  /** 1: the run is being stopped; every shim call throws. */
  ABORT: 10,
  /** Bytes of the JSON in PAYLOAD (run arguments in, outcome out). */
  PAYLOAD_LENGTH: 11,
  CELLS: 16,
} as const;

/** The name of the segment an actor's request is about, for the trace (written only when it changes). */
export const NAME_BYTES = 128;
/** Where in the actor's code the current request was made ("mutex.ts:71"), for the trace; written with every request. */
export const WHERE_BYTES = 128;
export const PAYLOAD_BYTES = 8192;
/** Bytes of a slot: its cells, the segment name, the call's source location, the payload. */
export const SLOT_BYTES = SLOT.CELLS * 4 + NAME_BYTES + WHERE_BYTES + PAYLOAD_BYTES;

export function controlBytes(actors: number): number {
  return HEADER.CELLS * 4 + actors * SLOT_BYTES;
}
export function slotCell(actor: number, cell: number): number {
  return (HEADER.CELLS * 4 + actor * SLOT_BYTES) / 4 + cell;
}
export function slotNameOffset(actor: number): number {
  return HEADER.CELLS * 4 + actor * SLOT_BYTES + SLOT.CELLS * 4;
}
export function slotWhereOffset(actor: number): number {
  return slotNameOffset(actor) + NAME_BYTES;
}
export function slotPayloadOffset(actor: number): number {
  return slotWhereOffset(actor) + WHERE_BYTES;
}

/** What an actor is doing, as the scheduler sees it (SLOT.STATE). */
export const STATE = {
  /** Between runs. */
  IDLE: 0,
  /** Parked at a shim call, waiting for GO: runnable. */
  REQUEST: 1,
  /** Asleep in a futex wait: runnable only after a notify, a timeout or a spurious wakeup. */
  BLOCKED: 2,
  /** Its scenario returned or threw; PAYLOAD holds the outcome. */
  FINISHED: 3,
} as const;

/** Operations (SLOT.OP). Reads first: an op below FIRST_WRITE never changes memory. */
export const OPS = [
  'start',
  'load',
  'read',
  'yield',
  'wait',
  'store',
  'exchange',
  'compareExchange',
  'add',
  'sub',
  'and',
  'or',
  'xor',
  'write',
  'notify',
] as const;
export type OpName = (typeof OPS)[number];
export const opCode = (name: OpName): number => OPS.indexOf(name);

/** SLOT.RESULT of a wait. */
export const WAIT_CODES = ['ok', 'not-equal', 'timed-out'] as const;
