// A mailbox in shared memory for ONE sender and ONE receiver, for
// lessons/18-mailbox.md. Exercise 18 builds the general one: many
// senders and receivers (a lock), a rendezvous, close, timeouts, async.
//
// Cells at `base`: SENT and TAKEN count messages (the sender alone writes SENT,
// the receiver alone writes TAKEN); then one length cell per slot; then the
// payloads. A side that cannot go on sleeps on the other side's counter.
import type { Segment } from '@ipc-course/shim';

const SENT = 0,
  TAKEN = 1,
  CAPACITY = 2,
  MAX_BYTES = 3,
  HEADER = 4;

export const littleMailboxBytes = (capacity: number, maxBytes: number) =>
  (HEADER + capacity) * 4 + capacity * Math.ceil(maxBytes / 4) * 4;

export function initLittleMailbox(
  segment: Segment,
  base: number,
  capacity: number,
  maxBytes: number,
): void {
  for (let cell = 0; cell < HEADER + capacity; cell++) segment.store(base + cell, 0);
  segment.store(base + CAPACITY, capacity);
  segment.store(base + MAX_BYTES, maxBytes);
}

function payloadOf(segment: Segment, base: number, slot: number): number {
  const capacity = segment.load(base + CAPACITY);
  return (base + HEADER + capacity) * 4 + slot * Math.ceil(segment.load(base + MAX_BYTES) / 4) * 4;
}

/** Blocks while full; with `wait` false, returns false instead (a non-blocking send). */
export function send(segment: Segment, base: number, message: Uint8Array, wait = true): boolean {
  const capacity = segment.load(base + CAPACITY);
  const sent = segment.load(base + SENT);
  for (
    let taken = segment.load(base + TAKEN);
    sent - taken === capacity;
    taken = segment.load(base + TAKEN)
  ) {
    if (!wait) return false;
    segment.wait(base + TAKEN, taken); // returns at once if TAKEN moved since we read it
  }
  const slot = sent % capacity;
  segment.write(payloadOf(segment, base, slot), message); // the bytes first,
  segment.store(base + HEADER + slot, message.length); // then the length,
  segment.store(base + SENT, sent + 1); // and only then count it
  segment.notify(base + SENT);
  return true;
}

/** Blocks while empty; a copy of the oldest message. */
export function receive(segment: Segment, base: number): Uint8Array {
  const taken = segment.load(base + TAKEN);
  for (let sent = segment.load(base + SENT); sent === taken; sent = segment.load(base + SENT))
    segment.wait(base + SENT, sent);
  const slot = taken % segment.load(base + CAPACITY);
  const message = segment.read(payloadOf(segment, base, slot), segment.load(base + HEADER + slot));
  segment.store(base + TAKEN, taken + 1); // the slot is free only after the copy
  segment.notify(base + TAKEN);
  return message;
}
