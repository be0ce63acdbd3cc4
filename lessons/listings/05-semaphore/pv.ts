// P and V on one cell that holds the free permits: the first semaphore of
// lessons/05-semaphore.md. Correct, but V makes a system call even if nobody sleeps.
import type { Segment } from '@ipc-course/shim';

/** P: take a permit, sleeping while there is none. */
export function acquire(segment: Segment, cell: number): void {
  for (;;) {
    const value = segment.load(cell);
    if (value === 0)
      segment.wait(cell, 0); // no permit: sleep until the cell changes
    else if (segment.compareExchange(cell, value, value - 1) === value) return; // took one
  }
}

/** V: give a permit back, and wake one sleeper for it. */
export function release(segment: Segment, cell: number): void {
  segment.add(cell, 1);
  segment.notify(cell, 1);
}
