// The heart of a priority mailbox, for lessons/19-priority-mailbox.md: slots in a
// segment, each with a priority (-1 when free), a sequence number, a length and
// the bytes. ONE thread only: no lock, no waiting, no close. The exercise adds them.
import type { Segment } from '@ipc-course/shim';

const NEXT_SEQ = 0; // cell 0: the next message's sequence number; the slots follow
const PRIORITY = 0,
  SEQ = 1,
  LENGTH = 2,
  BYTES = 3; // the cells of a slot
const FREE = -1;

export class SketchMailbox {
  readonly #slotCells: number;
  constructor(
    readonly segment: Segment,
    readonly capacity: number,
    readonly maxMessageBytes: number,
  ) {
    this.#slotCells = BYTES + Math.ceil(maxMessageBytes / 4);
    for (let slot = 0; slot < capacity; slot++) segment.store(this.#cell(slot, PRIORITY), FREE);
  }
  #cell = (slot: number, field: number) => 1 + slot * this.#slotCells + field;

  trySend(message: Uint8Array, priority: number): boolean {
    let slot = 0;
    while (slot < this.capacity && this.segment.load(this.#cell(slot, PRIORITY)) !== FREE) slot++;
    if (slot === this.capacity) return false; // full: mq_send with O_NONBLOCK says EAGAIN
    this.segment.write(this.#cell(slot, BYTES) * 4, message); // the bytes first ...
    this.segment.store(this.#cell(slot, LENGTH), message.length);
    this.segment.store(this.#cell(slot, SEQ), this.segment.add(NEXT_SEQ, 1));
    this.segment.store(this.#cell(slot, PRIORITY), priority); // ... then mark the slot full
    return true;
  }

  tryReceive(): { message: Uint8Array; priority: number } | undefined {
    let best = -1,
      bestPriority = -1,
      bestSeq = 0;
    for (let slot = 0; slot < this.capacity; slot++) {
      const priority = this.segment.load(this.#cell(slot, PRIORITY));
      const seq = this.segment.load(this.#cell(slot, SEQ));
      if (priority === FREE) continue;
      // More urgent, or as urgent and older: (seq - bestSeq) | 0 < 0 stays right when SEQ wraps.
      if (priority > bestPriority || (priority === bestPriority && ((seq - bestSeq) | 0) < 0)) {
        [best, bestPriority, bestSeq] = [slot, priority, seq];
      }
    }
    if (best === -1) return undefined; // empty: EAGAIN again
    const message = this.segment.read(
      this.#cell(best, BYTES) * 4,
      this.segment.load(this.#cell(best, LENGTH)),
    );
    this.segment.store(this.#cell(best, PRIORITY), FREE); // the bytes are copied out: free the slot
    return { message, priority: bestPriority };
  }
}
