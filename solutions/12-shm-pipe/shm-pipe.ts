// ShmPipe: pipe(2) rebuilt over shared memory. A byte stream from ONE writer to ONE reader
// (each may be any thread or process) through a ring of `capacity` bytes in a segment.
//
// Cells (byteOffset + 4 * i), then the ring's bytes from byteOffset + 32:
//   0 CAPACITY       C, written once by init
//   1 TAIL           the writer's: bytes ever written, modulo 2C; bit 30 = writer closed
//   2 HEAD           the reader's: bytes ever read, modulo 2C; bit 30 = reader closed
//   3 READER_SLEEPS  1 while the reader may be asleep on TAIL (it sets and clears it)
//   4 WRITER_SLEEPS  1 while the writer may be asleep on HEAD
// Byte number n lives at ring offset n % C. Counting modulo 2C (not C) keeps full
// (TAIL - HEAD = C) apart from empty (0), and % C continuous when a counter wraps.
// Invariants: used = (TAIL - HEAD) mod 2C, 0 <= used <= C; ring bytes HEAD .. TAIL - 1 are
//   the unread stream, oldest first. Only the writer writes TAIL and the ring bytes past it;
//   only the reader writes HEAD. So no lock: each side copies bytes first and moves its
//   counter second, and the other side trusts the counter.
// Sleeping: the reader sleeps on TAIL, the writer on HEAD: the cell the other side changes
//   when there is news (bytes, room, or a close bit), so `wait(cell, seen)` cannot miss it.
import { Segment, ShimError } from '@ipc-course/shim';
const CAPACITY = 0,
  TAIL = 1,
  HEAD = 2,
  READER_SLEEPS = 3,
  WRITER_SLEEPS = 4;
const HEADER_BYTES = 32,
  CLOSED = 1 << 30,
  COUNT = CLOSED - 1,
  MAX_CAPACITY = 1 << 24;
type Wait = readonly [cell: number, expected: number, timeoutMs: number];
function checkTimeout(timeoutMs: unknown, method: string): number {
  if (typeof timeoutMs === 'number' && timeoutMs >= 0) return timeoutMs; // NaN fails too
  throw new ShimError(
    'EINVAL',
    `ShmPipe.${method}: timeoutMs must be a number >= 0 (or Infinity), got ${String(timeoutMs)}`,
  );
}
export class ShmPipe {
  /** Bytes a pipe of `capacityBytes` needs: the header cells, the ring, rounded up to a cell. */
  static byteLength(capacityBytes: number): number {
    const ok =
      Number.isInteger(capacityBytes) && capacityBytes >= 1 && capacityBytes <= MAX_CAPACITY;
    if (!ok)
      throw new ShimError(
        'EINVAL',
        `ShmPipe: capacityBytes must be an integer from 1 to ${MAX_CAPACITY}, got ${String(capacityBytes)}`,
      );
    return HEADER_BYTES + Math.ceil(capacityBytes / 4) * 4;
  }
  /** Lays out an empty pipe, both ends open; call once, before either side uses it. */
  static init(segment: Segment, byteOffset: number, capacityBytes: number): ShmPipe {
    const base = segment.cellIndex(byteOffset, ShmPipe.byteLength(capacityBytes) / 4);
    for (let cell = 0; cell < HEADER_BYTES / 4; cell++) segment.store(base + cell, 0);
    segment.store(base + CAPACITY, capacityBytes);
    return new ShmPipe(segment, byteOffset);
  }
  readonly segment: Segment;
  readonly byteOffset: number;
  readonly capacity: number;
  readonly #base: number; // cell index of CAPACITY
  readonly #ring: number; // byte offset of ring byte 0
  /** Attaches to a pipe that init() laid out, from any thread or process. */
  constructor(segment: Segment, byteOffset: number) {
    const capacity = segment.load(segment.cellIndex(byteOffset, HEADER_BYTES / 4) + CAPACITY);
    this.#base = segment.cellIndex(byteOffset, ShmPipe.byteLength(capacity) / 4);
    this.#ring = byteOffset + HEADER_BYTES;
    [this.segment, this.byteOffset, this.capacity] = [segment, byteOffset, capacity];
  }
  #load = (cell: number) => this.segment.load(this.#base + cell);
  #used = (tail: number, head: number) =>
    ((tail & COUNT) - (head & COUNT) + 2 * this.capacity) % (2 * this.capacity);
  /**
   * The writer's. Without `partial`: writes all of `bytes`, in pieces if it must, sleeping while
   * the pipe is full; returns bytes.length. With `partial`: writes what fits, sleeping only while
   * the pipe is completely full; returns the count. On timeout: the count written so far (maybe 0).
   * EPIPE once the reader has closed (also for a writer asleep here); ECLOSED after closeWriter.
   */
  write(bytes: Uint8Array, options: { partial?: boolean; timeoutMs?: number } = {}): number {
    if (!(bytes instanceof Uint8Array))
      throw new ShimError(
        'EINVAL',
        `ShmPipe.write: bytes must be a Uint8Array, got ${String(bytes)}`,
      );
    const partial = options.partial ?? false;
    if (typeof partial !== 'boolean')
      throw new ShimError(
        'EINVAL',
        `ShmPipe.write: partial must be a boolean, got ${String(partial)}`,
      );
    const timeoutMs = checkTimeout(options.timeoutMs ?? Infinity, 'write');
    // No clock read for the usual write, which may wait as long as it takes.
    const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
    const C = this.capacity;
    let tail = this.#load(TAIL);
    if (tail & CLOSED)
      throw new ShimError('ECLOSED', 'ShmPipe.write: the writer has closed this pipe');
    for (let written = 0; ; ) {
      const head = this.#load(HEAD);
      if (head & CLOSED)
        throw new ShimError(
          'EPIPE',
          `ShmPipe.write: the reader has closed the pipe (${written} bytes of this write went in before)`,
        );
      if (bytes.length === 0) return 0; // as write(2) of 0 bytes
      const room = C - this.#used(tail, head);
      if (room === 0) {
        // full: sleep on HEAD until the reader moves it (bytes read, or its close bit)
        const remaining = deadline - performance.now();
        if (remaining <= 0) return written;
        this.segment.store(this.#base + WRITER_SLEEPS, 1); // announce, then sleep (partner: #read's load of WRITER_SLEEPS)
        this.segment.wait(this.#base + HEAD, head, remaining); // returns at once if HEAD moved since `head`
        this.segment.store(this.#base + WRITER_SLEEPS, 0);
        continue;
      }
      const count = Math.min(room, bytes.length - written);
      const at = tail % C,
        first = Math.min(count, C - at); // the ring may wrap: copy in two pieces
      this.segment.write(this.#ring + at, bytes.subarray(written, written + first));
      if (count > first)
        this.segment.write(this.#ring, bytes.subarray(written + first, written + count));
      tail = (tail + count) % (2 * C);
      this.segment.store(this.#base + TAIL, tail); // publish after the copy: the reader trusts TAIL
      if (this.#load(READER_SLEEPS)) this.segment.notify(this.#base + TAIL, 1); // partner: #read's announce
      written += count;
      if (partial || written === bytes.length) return written;
    }
  }
  /** The reader's. Sleeps while the pipe is empty and the writer open; then 1..maxBytes bytes.
   *  An empty array at end of file (writer closed, every byte read); undefined on timeout. */
  read(maxBytes: number, timeoutMs: number = Infinity): Uint8Array | undefined {
    const steps = this.#read(maxBytes, checkTimeout(timeoutMs, 'read'));
    for (let step = steps.next(); ; step = steps.next())
      if (step.done) return step.value;
      else this.segment.wait(...step.value);
  }
  /** read() as a Promise: sleeps with waitAsync, so the event loop runs meanwhile. */
  async readAsync(maxBytes: number, timeoutMs: number = Infinity): Promise<Uint8Array | undefined> {
    const steps = this.#read(maxBytes, checkTimeout(timeoutMs, 'readAsync'));
    for (let step = steps.next(); ; step = steps.next())
      if (step.done) return step.value;
      else await this.segment.waitAsync(...step.value);
  }
  *#read(maxBytes: number, timeoutMs: number): Generator<Wait, Uint8Array | undefined, void> {
    if (!Number.isInteger(maxBytes) || maxBytes < 1)
      throw new ShimError(
        'EINVAL',
        `ShmPipe.read: maxBytes must be an integer >= 1, got ${String(maxBytes)}`,
      );
    const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs; // no clock read for a read that waits as long as it takes
    const C = this.capacity;
    const head = this.#load(HEAD);
    if (head & CLOSED)
      throw new ShimError('ECLOSED', 'ShmPipe.read: the reader has closed this pipe');
    let tail = this.#load(TAIL);
    while (this.#used(tail, head) === 0) {
      if (tail & CLOSED) return new Uint8Array(0); // end of file: closed AND drained (same load)
      const remaining = deadline - performance.now();
      if (remaining <= 0) return undefined;
      this.segment.store(this.#base + READER_SLEEPS, 1); // announce before the wait's own check of TAIL
      yield [this.#base + TAIL, tail, remaining]; // partner: write's load of READER_SLEEPS after its store of TAIL
      this.segment.store(this.#base + READER_SLEEPS, 0);
      tail = this.#load(TAIL);
    }
    const count = Math.min(this.#used(tail, head), maxBytes);
    const at = head % C,
      first = Math.min(count, C - at);
    let bytes = this.segment.read(this.#ring + at, first);
    if (count > first) {
      const whole = new Uint8Array(count);
      whole.set(bytes);
      whole.set(this.segment.read(this.#ring, count - first), first);
      bytes = whole;
    }
    this.segment.store(this.#base + HEAD, (head + count) % (2 * C)); // hand the room back after the copy
    if (this.#load(WRITER_SLEEPS)) this.segment.notify(this.#base + HEAD, 1); // partner: write's announce
    return bytes;
  }
  /** The writer's: no more bytes. The reader drains what is in the pipe, then reads end of file. */
  closeWriter(): void {
    this.segment.or(this.#base + TAIL, CLOSED); // changes TAIL: a reader's wait(TAIL, old) returns at once ...
    if (this.#load(READER_SLEEPS)) this.segment.notify(this.#base + TAIL); // ... and one asleep wakes
  }
  /** The reader's: no more reads. The writer's next write, or the one asleep now, throws EPIPE. */
  closeReader(): void {
    this.segment.or(this.#base + HEAD, CLOSED); // as closeWriter, on HEAD: the writer's wait returns
    if (this.#load(WRITER_SLEEPS)) this.segment.notify(this.#base + HEAD);
  }
  /** null if every cell holds a legal value, else one line with all of them. */
  checkInvariants(): string | null {
    const [capacity, tail, head, readerSleeps, writerSleeps] = [0, 1, 2, 3, 4].map((cell) =>
      this.#load(cell),
    );
    const counters =
      (tail & COUNT) < 2 * capacity && (head & COUNT) < 2 * capacity && tail >= 0 && head >= 0;
    const used = this.#used(tail, head);
    if (
      capacity === this.capacity &&
      counters &&
      used <= capacity &&
      readerSleeps >> 1 === 0 &&
      writerSleeps >> 1 === 0
    )
      return null;
    return `ShmPipe segment="${this.segment.name}" byteOffset=${this.byteOffset} capacity=${capacity} tail=${tail & COUNT}${tail & CLOSED ? '+writer-closed' : ''} head=${head & COUNT}${head & CLOSED ? '+reader-closed' : ''} used=${used} readerSleeps=${readerSleeps} writerSleeps=${writerSleeps}`;
  }
}
