// The textbook circular buffer, in cells: correct for ONE producer and ONE
// consumer only (lessons/10-bounded-buffer.md). Each index has one writer:
// the producer writes IN, the consumer writes OUT, so no lock is needed.
//
// Cells from `base`: IN (next slot to fill), OUT (next slot to empty), then
// `size` slots. Empty when IN == OUT; full when (IN + 1) % size == OUT: one
// slot stays unused, or a full ring would look empty.
import type { Segment } from '@ipc-course/shim';

export const IN = 0;
export const OUT = 1;
const FIRST_SLOT = 2;

/** Puts `value` unless the ring is full. Producer only. */
export function tryPut(segment: Segment, size: number, value: number, base = 0): boolean {
  const put = segment.load(base + IN);
  if ((put + 1) % size === segment.load(base + OUT)) return false; // full
  segment.store(base + FIRST_SLOT + put, value); // write the value first ...
  segment.store(base + IN, (put + 1) % size); // ... then publish it: the consumer trusts IN
  return true;
}

/** Takes the oldest value, or undefined if the ring is empty. Consumer only. */
export function tryTake(segment: Segment, size: number, base = 0): number | undefined {
  const take = segment.load(base + OUT);
  if (take === segment.load(base + IN)) return undefined; // empty
  const value = segment.load(base + FIRST_SLOT + take); // read the value first ...
  segment.store(base + OUT, (take + 1) % size); // ... then hand the slot back
  return value;
}

/** tryPut, sleeping on OUT while full: the consumer's notify on OUT wakes it. */
export function put(segment: Segment, size: number, value: number, base = 0): void {
  for (;;) {
    const seen = segment.load(base + OUT); // read before the check: a take after it changes OUT
    if (tryPut(segment, size, value, base)) break;
    segment.wait(base + OUT, seen); // returns at once if OUT moved since `seen`
  }
  segment.notify(base + IN, 1); // a value: wake the consumer if it sleeps
}

/** tryTake, sleeping on IN while empty: the producer's notify on IN wakes it. */
export function take(segment: Segment, size: number, base = 0): number {
  for (;;) {
    const seen = segment.load(base + IN);
    const value = tryTake(segment, size, base);
    if (value !== undefined) {
      segment.notify(base + OUT, 1); // a free slot: wake the producer if it sleeps
      return value;
    }
    segment.wait(base + IN, seen);
  }
}
