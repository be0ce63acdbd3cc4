// BUG: tryReadLock checks for writers, then adds 1 to the reader count in a second step, so a writer can take the lock in between and both are inside
// MUST FAIL: never lets a writer in beside anyone else (4 workers + 2 processes)
//
// The check and the increment are two atomic operations, not one. Between
// them a writer's compareExchange(STATE, 0, WRITER) succeeds; the reader then
// adds 1 to WRITER and goes in beside it (and that writer's writeUnlock later
// finds WRITER + 1 and throws EPERM).
import { Segment, ShimError } from '@ipc-course/shim';

const STATE = 0;
const WAITING = 1;
const READERS_SEQ = 2;
const WRITERS_SEQ = 3;
const WRITER = 1 << 30;
const READERS = WRITER - 1; // mask of the reader count

function checkTimeout(timeoutMs: unknown, method: string): number {
  if (typeof timeoutMs === 'number' && timeoutMs >= 0) return timeoutMs; // NaN fails the test too
  throw new ShimError(
    'EINVAL',
    `ReadersWriterLock.${method}: timeoutMs must be a number >= 0 (or Infinity), got ${String(timeoutMs)}`,
  );
}

export class ReadersWriterLock {
  /** Bytes a ReadersWriterLock needs in a segment: four cells. */
  static readonly byteLength: number = 16;

  /** Writes the initial state (free, nobody waiting) at byteOffset; call once, before any thread uses it. */
  static init(segment: Segment, byteOffset: number): ReadersWriterLock {
    const lock = new ReadersWriterLock(segment, byteOffset);
    for (let i = 0; i < 4; i++) segment.store(lock.#cell + i, 0);
    return lock;
  }

  readonly segment: Segment;
  readonly byteOffset: number;
  /** Cell index of STATE; WAITING, READERS_SEQ and WRITERS_SEQ follow it. */
  readonly #cell: number;

  /** Attaches to a lock that init() laid out; throws EALIGN or ERANGE for a bad offset. */
  constructor(segment: Segment, byteOffset: number) {
    this.#cell = segment.cellIndex(byteOffset, 4);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  /** Takes a read share if no writer holds the lock or waits for it; never blocks. */
  tryReadLock(): boolean {
    const s = this.segment;
    for (;;) {
      const state = s.load(this.#cell + STATE);
      // Writer preference: a waiting writer turns new readers away, or it could starve.
      if ((state & WRITER) !== 0 || s.load(this.#cell + WAITING) > 0) return false;
      s.add(this.#cell + STATE, 1); // checked above, so it must still be free of writers
      return true;
      // else another reader came or left in between: look again (this is not a wait)
    }
  }

  /** Blocks until the caller holds a read share (true) or timeoutMs has passed (false). 0 tries once. */
  readLock(timeoutMs: number = Infinity): boolean {
    const deadline = performance.now() + checkTimeout(timeoutMs, 'readLock');
    for (;;) {
      // Load the futex word first: a writeUnlock or a writer giving up after this load bumps it.
      const seq = this.segment.load(this.#cell + READERS_SEQ);
      if (this.tryReadLock()) return true; // re-check after every wakeup: `for`, not `if`
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false; // a reader leaves no mark behind: nothing to undo
      // Sleep only while nothing changed since the load (partner: #wake).
      this.segment.wait(this.#cell + READERS_SEQ, seq, remaining);
    }
  }

  /** Gives back a read share; the last reader out wakes one waiting writer. EPERM if no reader holds it. */
  readUnlock(): void {
    const s = this.segment;
    for (;;) {
      const state = s.load(this.#cell + STATE);
      if ((state & READERS) === 0 || (state & WRITER) !== 0)
        throw new ShimError(
          'EPERM',
          `ReadersWriterLock.readUnlock: the lock at byte ${this.byteOffset} of segment "${s.name}" is not read-locked (state ${state}); call it only after readLock() or tryReadLock() returned true`,
        );
      if (s.compareExchange(this.#cell + STATE, state, state - 1) !== state) continue;
      // Partner of writeLock's add to WAITING, made before its compareExchange: we see it, or it sees our 0.
      if (state === 1 && s.load(this.#cell + WAITING) > 0) this.#wake(WRITERS_SEQ, 1);
      return;
    }
  }

  /** Takes the lock for writing if it is free; never blocks. */
  tryWriteLock(): boolean {
    return this.segment.compareExchange(this.#cell + STATE, 0, WRITER) === 0;
  }

  /** Blocks until the caller holds the lock alone (true) or timeoutMs has passed (false). 0 tries once. */
  writeLock(timeoutMs: number = Infinity): boolean {
    const deadline = performance.now() + checkTimeout(timeoutMs, 'writeLock');
    if (this.tryWriteLock()) return true; // fast path: free
    if (timeoutMs === 0) return false;
    const s = this.segment;
    s.add(this.#cell + WAITING, 1); // announce: from now on new readers wait (see tryReadLock)
    for (;;) {
      const seq = s.load(this.#cell + WRITERS_SEQ); // before the check: partner: #wake
      if (this.tryWriteLock()) break;
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        // Give up: withdraw the mark, or readers stay turned away; the last to withdraw wakes them.
        if (s.sub(this.#cell + WAITING, 1) === 1) this.#wake(READERS_SEQ, Infinity);
        return false;
      }
      s.wait(this.#cell + WRITERS_SEQ, seq, remaining);
    }
    s.sub(this.#cell + WAITING, 1); // in: no longer waiting (we hold it, so no reader can enter yet)
    return true;
  }

  /** Releases the write lock: wakes one waiting writer, or else every waiting reader. EPERM if not write-locked. */
  writeUnlock(): void {
    const s = this.segment;
    const state = s.compareExchange(this.#cell + STATE, WRITER, 0);
    if (state !== WRITER)
      throw new ShimError(
        'EPERM',
        `ReadersWriterLock.writeUnlock: the lock at byte ${this.byteOffset} of segment "${s.name}" is not write-locked (state ${state}); call it only after writeLock() or tryWriteLock() returned true`,
      );
    // Writers first (one: only one can go in); if it gives up instead, it wakes the readers.
    if (s.load(this.#cell + WAITING) > 0) this.#wake(WRITERS_SEQ, 1);
    else this.#wake(READERS_SEQ, Infinity); // every reader can go in
  }

  /** Call after the change sleepers wait for: bumps their SEQ word (so one about to sleep won't), then wakes them. */
  #wake(seqWord: number, count: number): void {
    this.segment.add(this.#cell + seqWord, 1);
    this.segment.notify(this.#cell + seqWord, count);
  }

  /** null if the cells hold a named state, else one line describing every field. */
  checkInvariants(): string | null {
    const s = this.segment;
    const [state, waiting, readersSeq, writersSeq] = [0, 1, 2, 3].map((i) =>
      s.load(this.#cell + i),
    );
    if ((state === WRITER || (state >= 0 && state < WRITER)) && waiting >= 0) return null;
    return `ReadersWriterLock segment="${s.name}" byteOffset=${this.byteOffset} cell=${this.#cell} state=${state} waiting=${waiting} readersSeq=${readersSeq} writersSeq=${writersSeq}: state must be 0, a reader count below ${WRITER}, or ${WRITER} (writer) alone, and waiting >= 0`;
  }
}
