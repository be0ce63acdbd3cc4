// ReadersFirstLock: the first readers-writers solution, for the programs of
// lessons/08-rwlock.md. Not the exercise's lock: no timeouts for readers, no
// misuse checks, and it prefers readers.
//
// One cell, at index `cell`:
//   -1  a writer holds it
//    0  free
//    n  n readers hold it
// Readers go in whenever no writer HOLDS it: a writer that waits is not seen.
// Sleepers wait on the cell itself, with the value they saw; an unlock that
// may let someone in notifies.
import type { Segment } from '@ipc-course/shim';

export class ReadersFirstLock {
  constructor(
    readonly segment: Segment,
    readonly cell: number,
  ) {}

  readLock(): void {
    for (;;) {
      const state = this.segment.load(this.cell);
      if (state < 0)
        this.segment.wait(this.cell, state); // a writer is in: sleep until it leaves
      else if (this.segment.compareExchange(this.cell, state, state + 1) === state) return;
    }
  }

  readUnlock(): void {
    // The last reader out wakes the sleepers: writers wait for 0.
    if (this.segment.sub(this.cell, 1) === 1) this.segment.notify(this.cell);
  }

  /** True once held alone; false if timeoutMs passed first. */
  writeLock(timeoutMs = Infinity): boolean {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const state = this.segment.compareExchange(this.cell, 0, -1);
      if (state === 0) return true;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      this.segment.wait(this.cell, state, remaining); // sleep while the cell holds what we saw
    }
  }

  writeUnlock(): void {
    this.segment.store(this.cell, 0);
    this.segment.notify(this.cell); // every sleeper: all the readers may go in at once
  }
}
