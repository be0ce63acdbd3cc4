// Segment: a named POSIX shared-memory object, mapped into this thread.
//
// Every worker thread or process that opens the same name sees the same bytes.
// Cells are 32-bit signed integers at index = byteOffset / 4, with the meaning
// of JS Atomics on an Int32Array. The fast path *is* JS Atomics, on a
// SharedArrayBuffer over the mapping (11 ns an operation); native code runs only
// to sleep and wake (futex), which must go through the kernel to reach waiters
// in other processes: V8's Atomics.wait/notify never leave this process.
//
// Every method is a point where schedule perturbation may yield (perturb.ts),
// and, in a controlled run, where the scheduler decides who goes next (control.ts).
import { native, type WaitResult } from './binding.ts';
import { ShimError } from './errors.ts';
import { perturbPoint } from './perturb.ts';
import { control } from './control.ts';

export type { WaitResult };

function checkCount(count: unknown, what: string): number {
  if (typeof count !== 'number' || Number.isNaN(count) || count < 0) {
    throw new ShimError(
      'EINVAL',
      `${what} must be a number >= 0 (or Infinity), got ${String(count)}`,
    );
  }
  return count;
}

function checkTimeout(timeoutMs: unknown, method: string): number {
  return checkCount(timeoutMs, `${method}: timeoutMs`);
}

function checkValue(value: unknown, method: string, what = 'value'): number {
  if (typeof value !== 'number') {
    throw new ShimError(
      'EINVAL',
      `${method}: ${what} must be a number, got ${typeof value} ${String(value)}`,
    );
  }
  return value;
}

export class Segment {
  /** The name it was created or opened with. */
  readonly name: string;
  readonly byteLength: number;
  #buffer: SharedArrayBuffer | null;
  #cells: Int32Array | null;

  private constructor(name: string, buffer: SharedArrayBuffer) {
    this.name = name;
    this.byteLength = buffer.byteLength;
    this.#buffer = buffer;
    this.#cells = new Int32Array(buffer, 0, buffer.byteLength >> 2);
  }

  /** Creates and maps a new zero-filled segment. Throws EEXIST if the name is taken. */
  static create(name: string, byteLength: number): Segment {
    return new Segment(name, native.createSegment(name, byteLength));
  }

  /** Maps an existing segment. Throws ENOENT if there is none by that name. */
  static open(name: string): Segment {
    return new Segment(name, native.openSegment(name));
  }

  /** Removes the name; mappings stay valid until closed. Throws ENOENT if missing. */
  static unlink(name: string): void {
    native.unlinkSegment(name);
  }

  /** Number of 32-bit cells. */
  get cellCount(): number {
    return this.byteLength >> 2;
  }

  get closed(): boolean {
    return this.#cells === null;
  }

  /** Unmaps this thread's view (once nothing else uses it). Later calls throw ECLOSED. */
  close(): void {
    this.#cells = null;
    this.#buffer = null;
  }

  /**
   * The cell index of a byte offset where a shared object of `cellCount` cells
   * starts. Throws EALIGN if the offset is not a multiple of 4, ERANGE if the
   * cells do not fit in the segment.
   */
  cellIndex(byteOffset: number, cellCount = 1): number {
    this.#view('cellIndex');
    if (!Number.isInteger(byteOffset) || byteOffset < 0) {
      throw new ShimError(
        'ERANGE',
        `cellIndex: byteOffset must be an integer >= 0, got ${String(byteOffset)}`,
      );
    }
    if (byteOffset % 4 !== 0) {
      throw new ShimError(
        'EALIGN',
        `cellIndex: byteOffset ${byteOffset} is not a multiple of 4 (cells are 32-bit)`,
      );
    }
    const index = byteOffset / 4;
    if (index + cellCount > this.cellCount) {
      throw new ShimError(
        'ERANGE',
        `cellIndex: ${cellCount} cells at byte ${byteOffset} do not fit in segment "${this.name}" of ${this.byteLength} bytes`,
      );
    }
    return index;
  }

  #view(method: string): Int32Array {
    const cells = this.#cells;
    if (cells === null)
      throw new ShimError('ECLOSED', `${method}: segment "${this.name}" is closed`);
    return cells;
  }

  #at(method: string, index: unknown): Int32Array {
    const cells = this.#view(method);
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= cells.length
    ) {
      throw new ShimError(
        'ERANGE',
        `${method}: index ${String(index)} is outside [0, ${cells.length}) of segment "${this.name}" (index = byteOffset / 4)`,
      );
    }
    perturbPoint?.();
    return cells;
  }

  load(i: number): number {
    const cells = this.#at('load', i);
    control.point?.enter(this.name, 'load', i, 0, 0, cells);
    return Atomics.load(cells, i);
  }
  store(i: number, v: number): number {
    const cells = this.#at('store', i);
    const value = checkValue(v, 'store');
    control.point?.enter(this.name, 'store', i, value | 0, 0, cells);
    return Atomics.store(cells, i, value);
  }
  exchange(i: number, v: number): number {
    const cells = this.#at('exchange', i);
    const value = checkValue(v, 'exchange');
    control.point?.enter(this.name, 'exchange', i, value | 0, 0, cells);
    return Atomics.exchange(cells, i, value);
  }
  compareExchange(i: number, expected: number, replacement: number): number {
    const cells = this.#at('compareExchange', i);
    checkValue(expected, 'compareExchange', 'expected');
    checkValue(replacement, 'compareExchange', 'replacement');
    control.point?.enter(this.name, 'compareExchange', i, expected | 0, replacement | 0, cells);
    return Atomics.compareExchange(cells, i, expected, replacement);
  }
  add(i: number, v: number): number {
    const cells = this.#at('add', i);
    const value = checkValue(v, 'add');
    control.point?.enter(this.name, 'add', i, value | 0, 0, cells);
    return Atomics.add(cells, i, value);
  }
  sub(i: number, v: number): number {
    const cells = this.#at('sub', i);
    const value = checkValue(v, 'sub');
    control.point?.enter(this.name, 'sub', i, value | 0, 0, cells);
    return Atomics.sub(cells, i, value);
  }
  and(i: number, v: number): number {
    const cells = this.#at('and', i);
    const value = checkValue(v, 'and');
    control.point?.enter(this.name, 'and', i, value | 0, 0, cells);
    return Atomics.and(cells, i, value);
  }
  or(i: number, v: number): number {
    const cells = this.#at('or', i);
    const value = checkValue(v, 'or');
    control.point?.enter(this.name, 'or', i, value | 0, 0, cells);
    return Atomics.or(cells, i, value);
  }
  xor(i: number, v: number): number {
    const cells = this.#at('xor', i);
    const value = checkValue(v, 'xor');
    control.point?.enter(this.name, 'xor', i, value | 0, 0, cells);
    return Atomics.xor(cells, i, value);
  }

  /**
   * Sleeps while cell i holds `expected`, until a notify on i (from any thread
   * or process) or the timeout. Like Atomics.wait: "not-equal" at once if the
   * cell differs, "timed-out" at once for a timeout of 0. Blocks this thread.
   */
  wait(i: number, expected: number, timeoutMs: number = Infinity): WaitResult {
    const cells = this.#at('wait', i);
    checkValue(expected, 'wait', 'expected');
    checkTimeout(timeoutMs, 'wait');
    if (control.point) return control.point.wait(this.name, cells, i, expected, timeoutMs);
    if (Atomics.load(cells, i) !== (expected | 0)) return 'not-equal';
    if (timeoutMs === 0) return 'timed-out';
    return native.wait(this.#buffer!, i, expected, timeoutMs) ?? 'timed-out';
  }

  /** wait() without blocking: the sleep happens on a native thread of its own. */
  waitAsync(i: number, expected: number, timeoutMs: number = Infinity): Promise<WaitResult> {
    try {
      const cells = this.#at('waitAsync', i);
      checkValue(expected, 'waitAsync', 'expected');
      checkTimeout(timeoutMs, 'waitAsync');
      if (control.point) return control.point.waitAsync(this.name, cells, i, expected, timeoutMs);
      if (Atomics.load(cells, i) !== (expected | 0)) return Promise.resolve('not-equal');
      if (timeoutMs === 0) return Promise.resolve('timed-out');
      return native.waitAsync(this.#buffer!, i, expected, timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Wakes up to `count` waiters on cell i, in any process. Returns how many woke. */
  notify(i: number, count: number = Infinity): number {
    this.#at('notify', i);
    checkCount(count, 'notify: count');
    // Under control every waiter is an actor asleep in the scheduler's books, not in the kernel.
    if (control.point) return control.point.notify(this.name, i, count);
    return native.notify(this.#buffer!, i, count);
  }

  #range(method: string, byteOffset: unknown, length: number): Uint8Array {
    this.#view(method);
    if (
      typeof byteOffset !== 'number' ||
      !Number.isInteger(byteOffset) ||
      byteOffset < 0 ||
      byteOffset + length > this.byteLength
    ) {
      throw new ShimError(
        'ERANGE',
        `${method}: bytes [${String(byteOffset)}, ${String(byteOffset)} + ${length}) are outside segment "${this.name}" of ${this.byteLength} bytes`,
      );
    }
    perturbPoint?.();
    return new Uint8Array(this.#buffer!, byteOffset, length);
  }

  /** A copy of `length` bytes starting at `byteOffset`. */
  read(byteOffset: number, length: number): Uint8Array {
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
      throw new ShimError('EINVAL', `read: length must be an integer >= 0, got ${String(length)}`);
    }
    const bytes = this.#range('read', byteOffset, length);
    control.point?.enter(this.name, 'read', byteOffset, length, 0, null);
    return bytes.slice();
  }

  /**
   * A live view of `length` bytes at `byteOffset`: no copy, so what one side
   * writes through it the other side reads in place (bulk data whose offset a
   * ring carries, for example). Not atomic, and not a scheduling point: guard
   * it with a protocol, as you would write().
   */
  bytes(byteOffset: number, length: number): Uint8Array {
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
      throw new ShimError('EINVAL', `bytes: length must be an integer >= 0, got ${String(length)}`);
    }
    return this.#range('bytes', byteOffset, length);
  }

  /** Copies `bytes` into the segment at `byteOffset`. Not atomic: guard it with a lock or a protocol. */
  write(byteOffset: number, bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) {
      throw new ShimError(
        'EINVAL',
        `write: bytes must be a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`,
      );
    }
    const target = this.#range('write', byteOffset, bytes.length);
    control.point?.enter(this.name, 'write', byteOffset, bytes.length, 0, null);
    target.set(bytes);
  }
}
