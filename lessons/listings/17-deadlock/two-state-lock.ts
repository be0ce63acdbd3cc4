// A two-state futex lock for the deadlock demos of lessons/17-deadlock.md.
// Not the exercise's mutex: simpler, and every unlock pays a notify.
//
// One cell per lock:  0 free, 1 held.
// Invariant: only the holder stores 0.
import type { Segment } from '@ipc-course/shim';

export function lock(segment: Segment, cell: number): void {
  while (segment.compareExchange(cell, 0, 1) !== 0) {
    segment.wait(cell, 1); // sleep while held; re-check after every wake-up
  }
}

export function unlock(segment: Segment, cell: number): void {
  segment.store(cell, 0);
  segment.notify(cell, 1); // wake one sleeper, if there is one
}
