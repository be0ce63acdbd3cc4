// ReadersWriterLock: many readers or one writer, in four cells of a shared
// segment; it prefers writers. Any thread or process attached to the same
// (segment, byteOffset) shares the lock. Cells, from byteOffset:
//   STATE        readers inside (bits 0-29), or WRITER (1 << 30) alone
//   WAITING      writers waiting to enter; while > 0, new readers are turned away
//   READERS_SEQ  futex word readers sleep on; WRITERS_SEQ, the one writers sleep on
// Invariants: STATE is 0, a reader count, or exactly WRITER. WAITING >= 0.
//   A sleeper loads its SEQ word before it checks STATE and sleeps on that value;
//   whoever changes what it checked bumps the word afterwards: no lost wakeup.
//
// TODO: the seven methods below. Task: README.md; stuck? hints.md.
// Run: npm test -- exercises/08-rwlock
import { Segment, ShimError } from '@ipc-course/shim';

const STATE = 0;
const WAITING = 1;
const READERS_SEQ = 2;
const WRITERS_SEQ = 3;
const WRITER = 1 << 30;

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
  /** Cell index of STATE; the others follow it: this.#cell + WAITING, ... */
  readonly #cell: number;

  /** Attaches to a lock that init() laid out; throws EALIGN or ERANGE for a bad offset. */
  constructor(segment: Segment, byteOffset: number) {
    this.#cell = segment.cellIndex(byteOffset, 4);
    this.segment = segment;
    this.byteOffset = byteOffset;
  }

  /** Takes a read share unless a writer holds the lock or waits for it; never blocks. */
  tryReadLock(): boolean {
    // TODO: WRITER bit set or WAITING > 0: false. Else compareExchange STATE n -> n+1 (look again if it moved).
    throw new Error('TODO: ReadersWriterLock.tryReadLock');
  }
  /** Blocks until the caller holds a read share (true) or timeoutMs has passed (false). 0 tries once. */
  readLock(timeoutMs: number = Infinity): boolean {
    // TODO: loop: seq = load(READERS_SEQ); tryReadLock(); deadline check; wait(READERS_SEQ, seq, remaining).
    throw new Error('TODO: ReadersWriterLock.readLock');
  }
  /** Gives back a read share; the last reader out wakes one waiting writer. */
  readUnlock(): void {
    // TODO: no reader inside: throw new ShimError('EPERM', ...). Else n -> n-1; left 0 and WAITING > 0: wake a writer.
    throw new Error('TODO: ReadersWriterLock.readUnlock');
  }
  /** Takes the lock for writing if it is free; never blocks. */
  tryWriteLock(): boolean {
    // TODO: compareExchange STATE 0 -> WRITER.
    throw new Error('TODO: ReadersWriterLock.tryWriteLock');
  }
  /** Blocks until the caller holds the lock alone (true) or timeoutMs has passed (false). 0 tries once. */
  writeLock(timeoutMs: number = Infinity): boolean {
    // TODO: fast path; announce (WAITING + 1); loop as readLock does, on WRITERS_SEQ. Giving up: withdraw, wake readers.
    throw new Error('TODO: ReadersWriterLock.writeLock');
  }
  /** Releases the write lock: wakes one waiting writer, or else every waiting reader. */
  writeUnlock(): void {
    // TODO: compareExchange STATE WRITER -> 0 (else EPERM); then add 1 to the right SEQ word and notify.
    throw new Error('TODO: ReadersWriterLock.writeUnlock');
  }
  /** null if the cells hold a named state, else one line describing every cell. */
  checkInvariants(): string | null {
    // TODO: STATE is WRITER or in [0, WRITER), and WAITING >= 0; else one line with every cell's value.
    throw new Error('TODO: ReadersWriterLock.checkInvariants');
  }
}
