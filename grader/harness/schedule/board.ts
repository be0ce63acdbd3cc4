// The scheduler's view of the control segment (layout: native/control-layout.ts):
// slot cells, run arguments in, outcomes out, and the hand-over of the right to
// run. Everything here runs on the scheduler's thread, which is never controlled.
import { Segment } from '@ipc-course/shim';
import { controlLayout as L } from '../../../native/internal.ts';
import { uniqueSegmentName } from '../segment-names.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class ControlBoard {
  readonly segment: Segment;
  readonly actors: number;

  constructor(actors: number) {
    this.actors = actors;
    this.segment = Segment.create(uniqueSegmentName('control'), L.controlBytes(actors));
  }

  get name(): string {
    return this.segment.name;
  }

  get(actor: number, cell: number): number {
    return this.segment.load(L.slotCell(actor, cell));
  }
  set(actor: number, cell: number, value: number): void {
    this.segment.store(L.slotCell(actor, cell), value);
  }

  get clock(): number {
    return this.segment.load(L.HEADER.CLOCK);
  }
  set clock(ms: number) {
    this.segment.store(L.HEADER.CLOCK, ms);
  }

  /** The name of the segment an actor's current request is about. */
  segmentName(actor: number): string {
    const bytes = this.segment.read(L.slotNameOffset(actor), L.NAME_BYTES);
    const end = bytes.indexOf(0);
    return decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
  }

  /** Where in its code an actor made its current request ("mutex.ts:71"), or ''. */
  callSite(actor: number): string {
    const bytes = this.segment.read(L.slotWhereOffset(actor), L.WHERE_BYTES);
    const end = bytes.indexOf(0);
    return decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
  }

  /** Outcome JSON an actor left when it finished. */
  outcome(actor: number): unknown {
    const length = this.get(actor, L.SLOT.PAYLOAD_LENGTH);
    try {
      return JSON.parse(decoder.decode(this.segment.read(L.slotPayloadOffset(actor), length)));
    } catch {
      return { kind: 'error', message: 'the actor left no readable outcome' };
    }
  }

  /** Clears every slot, hands each actor its arguments, and starts run `run`. */
  startRun(run: number, args: unknown[]): void {
    for (let actor = 0; actor < this.actors; actor++) {
      for (let cell = 0; cell < L.SLOT.CELLS; cell++) this.set(actor, cell, 0);
      const bytes = encoder.encode(JSON.stringify(args[actor] ?? null));
      if (bytes.length > L.PAYLOAD_BYTES)
        throw new Error(
          `run arguments of actor ${actor} are over ${L.PAYLOAD_BYTES} bytes of JSON`,
        );
      this.segment.write(L.slotPayloadOffset(actor), bytes);
      this.set(actor, L.SLOT.PAYLOAD_LENGTH, bytes.length);
    }
    this.clock = 0;
    this.segment.store(L.HEADER.RUN, run);
    this.segment.notify(L.HEADER.RUN);
  }

  /** The number of the last run started. */
  get run(): number {
    return this.segment.load(L.HEADER.RUN);
  }

  get handbacks(): number {
    return this.segment.load(L.HEADER.HANDBACK);
  }

  /** Sleeps until some actor hands back after `seen`, or `timeoutMs` passes; true if one did. */
  awaitHandback(seen: number, timeoutMs: number): boolean {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (this.handbacks !== seen) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      this.segment.wait(L.HEADER.HANDBACK, seen, Math.min(left, 1000));
    }
  }

  /** Lets one actor run until its next shim call; false if it did not hand back within `timeoutMs`. */
  grant(actor: number, timeoutMs: number): boolean {
    const seen = this.handbacks;
    this.set(actor, L.SLOT.GO, 1);
    this.segment.notify(L.slotCell(actor, L.SLOT.GO));
    return this.awaitHandback(seen, timeoutMs);
  }

  /** Makes every shim call of `actor` throw EABORTED, and lets it run so it can unwind. */
  abort(actor: number): void {
    this.set(actor, L.SLOT.ABORT, 1);
    this.set(actor, L.SLOT.GO, 1);
    this.segment.notify(L.slotCell(actor, L.SLOT.GO));
  }

  shutdown(): void {
    this.segment.store(L.HEADER.SHUTDOWN, 1);
    this.segment.notify(L.HEADER.RUN);
    for (let actor = 0; actor < this.actors; actor++) this.abort(actor);
  }

  dispose(): void {
    this.segment.close();
    try {
      Segment.unlink(this.name);
    } catch {
      // already gone: nothing to give back
    }
  }
}
