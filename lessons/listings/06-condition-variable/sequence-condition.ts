// SequenceCondition: the smallest condition variable over a futex, for the
// programs of lessons/06-condition-variable.md. One cell, the sequence number
// SEQ: signal and broadcast add 1 to it; a waiter sleeps only while SEQ still
// holds the value it read under the mutex. No timeouts, no waitAsync, no count
// of waiters: exercise 06 adds them.
import type { Segment } from '@ipc-course/shim';

/** Any mutex: the Mutex of exercise 04 fits. */
export interface Lock {
  lock(): boolean;
  unlock(): void;
}

export class SequenceCondition {
  readonly segment: Segment;
  readonly cell: number;

  constructor(segment: Segment, cell: number) {
    this.segment = segment;
    this.cell = cell;
  }

  /** Call holding `mutex`. Returns holding it again, but the condition may still be false. */
  wait(mutex: Lock): void {
    const seq = this.segment.load(this.cell); // read BEFORE unlocking (the lost wakeup)
    mutex.unlock();
    this.segment.wait(this.cell, seq); // sleeps only if nobody signalled since the read
    mutex.lock();
  }

  /** Wakes one waiter, if one sleeps. */
  signal(): void {
    this.segment.add(this.cell, 1); // change the word first: a waiter not yet asleep sees it ...
    this.segment.notify(this.cell, 1); // ... and one already asleep is woken
  }

  /** Wakes every waiter. */
  broadcast(): void {
    this.segment.add(this.cell, 1);
    this.segment.notify(this.cell);
  }
}
