// Cell operations mean exactly what JS Atomics mean on an Int32Array.
import { Segment, errorCode } from '@ipc-course/shim';
import { describe, expect, it } from 'vitest';
import { scratchSegment } from '../../grader/harness/segments.ts';

type Op = [name: 'store' | 'exchange' | 'add' | 'sub' | 'and' | 'or' | 'xor', value: number];
const values = [0, 1, -1, 7, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32 + 5, 1.9, -1.9, 0x5555];
const ops: Op[] = [];
for (const name of ['store', 'exchange', 'add', 'sub', 'and', 'or', 'xor'] as const) {
  for (const value of values) ops.push([name, value]);
}

describe('Segment cells', () => {
  it('give the same results and final values as JS Atomics, op by op', () => {
    const segment = scratchSegment(64, 'atomics');
    const reference = new Int32Array(new SharedArrayBuffer(64));
    segment.store(3, 12345);
    Atomics.store(reference, 3, 12345);
    for (const [name, value] of ops) {
      expect(segment[name](3, value), `${name}(3, ${value})`).toBe(
        Atomics[name](reference, 3, value),
      );
      expect(segment.load(3), `load after ${name}(3, ${value})`).toBe(Atomics.load(reference, 3));
    }
  });

  it('compareExchange swaps only on a match and returns the old value', () => {
    const segment = scratchSegment(16, 'cas');
    segment.store(0, 5);
    expect(segment.compareExchange(0, 4, 9)).toBe(5);
    expect(segment.load(0)).toBe(5);
    expect(segment.compareExchange(0, 5, 9)).toBe(5);
    expect(segment.load(0)).toBe(9);
    segment.store(0, -1);
    expect(segment.compareExchange(0, 2 ** 32 - 1, 3)).toBe(-1); // expected is ToInt32'd, as in Atomics
    expect(segment.load(0)).toBe(3);
  });

  it('starts zero-filled and is shared by two mappings of one name', async () => {
    const { Segment } = await import('@ipc-course/shim');
    const first = scratchSegment(4096, 'two-maps');
    const second = Segment.open(first.name);
    expect(second.byteLength).toBe(4096);
    expect(second.load(1023)).toBe(0);
    first.store(1023, 42);
    expect(second.load(1023)).toBe(42);
    second.close();
  });

  it('copies bytes in and out, and read returns a copy', () => {
    const segment = scratchSegment(32, 'bytes');
    segment.write(5, new Uint8Array([1, 2, 3, 250]));
    const bytes = segment.read(4, 6);
    expect([...bytes]).toEqual([0, 1, 2, 3, 250, 0]);
    bytes[1] = 99;
    expect(segment.read(5, 1)[0]).toBe(1);
    expect((segment.load(1) >> 8) & 0xff).toBe(1); // byte 5 is the second byte of cell 1 (little-endian)
    expect(segment.read(32, 0).length).toBe(0);
  });

  it('gives a live view of bytes: written through it, seen by another mapping, no copy', () => {
    const segment = scratchSegment(32, 'view');
    const other = Segment.open(segment.name);
    const view = segment.bytes(8, 8);
    view.fill(7);
    expect([...other.read(6, 12)]).toEqual([0, 0, 7, 7, 7, 7, 7, 7, 7, 7, 0, 0]);
    other.write(8, Uint8Array.of(9));
    expect(view[0]).toBe(9);
    expect(errorCode(() => segment.bytes(30, 4))).toBe('ERANGE');
    expect(errorCode(() => segment.bytes(0, -1))).toBe('EINVAL');
    other.close();
  });

  it('maps byte offsets to cell indexes for shared objects', () => {
    const segment = scratchSegment(64, 'cellindex');
    expect(segment.cellIndex(0)).toBe(0);
    expect(segment.cellIndex(60)).toBe(15);
    expect(segment.cellIndex(48, 4)).toBe(12);
  });
});
