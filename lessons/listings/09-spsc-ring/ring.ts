// The textbook ring for ONE producer and ONE consumer, in cells
// (lessons/09-spsc-ring.md). No lock: each index has one writer, the producer
// writes IN, the consumer writes OUT.
//
// Cells from `base`: IN (next slot to fill), OUT (next slot to empty),
// PRODUCER_SLEEPS and CONSUMER_SLEEPS (1 while that side may be asleep), then
// `size` slots. Empty when IN == OUT; full when (IN + 1) % size == OUT: one
// slot stays unused, or a full ring would look empty.
import type { Segment } from '@ipc-course/shim';

export const IN = 0;
export const OUT = 1;
const PRODUCER_SLEEPS = 2;
const CONSUMER_SLEEPS = 3;
export const FIRST_SLOT = 4;

/** Puts `value` unless the ring is full. Producer only. */
export function tryPut(segment: Segment, size: number, value: number, base = 0): boolean {
  const next = segment.load(base + IN);
  if ((next + 1) % size === segment.load(base + OUT)) return false; // full
  segment.store(base + FIRST_SLOT + next, value); // 1. write the value ...
  segment.store(base + IN, (next + 1) % size); // 2. ... then publish it: the consumer trusts IN
  if (segment.load(base + CONSUMER_SLEEPS)) segment.notify(base + IN, 1); // 3. wake it only if it may sleep
  return true;
}

/** Takes the oldest value, or undefined if the ring is empty. Consumer only. */
export function tryTake(segment: Segment, size: number, base = 0): number | undefined {
  const next = segment.load(base + OUT);
  if (next === segment.load(base + IN)) return undefined; // empty
  const value = segment.load(base + FIRST_SLOT + next); // 1. read the value ...
  segment.store(base + OUT, (next + 1) % size); // 2. ... then hand the slot back
  if (segment.load(base + PRODUCER_SLEEPS)) segment.notify(base + OUT, 1);
  return value;
}

/** tryPut, sleeping on OUT while the ring is full. */
export function put(segment: Segment, size: number, value: number, base = 0): void {
  for (;;) {
    const out = segment.load(base + OUT); // read before the check
    if (tryPut(segment, size, value, base)) return;
    segment.store(base + PRODUCER_SLEEPS, 1); // announce: from now on a take notifies
    segment.wait(base + OUT, out); // sleeps only if OUT is still what the check saw
    segment.store(base + PRODUCER_SLEEPS, 0);
  }
}

/** tryTake, sleeping on IN while the ring is empty. */
export function take(segment: Segment, size: number, base = 0): number {
  for (;;) {
    const into = segment.load(base + IN);
    const value = tryTake(segment, size, base);
    if (value !== undefined) return value;
    segment.store(base + CONSUMER_SLEEPS, 1);
    segment.wait(base + IN, into);
    segment.store(base + CONSUMER_SLEEPS, 0);
  }
}
