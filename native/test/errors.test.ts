// Every bad call throws an Error with a stable code and a message that names
// the value; none of them crashes the process.
import { describe, expect, it } from 'vitest';
import {
  MessageQueue,
  Segment,
  close,
  mkfifo,
  read,
  write,
  type ShimErrorCode,
} from '@ipc-course/shim';
import { scratchSegment } from '../../grader/harness/segments.ts';
import { uniqueSegmentName } from '../../grader/harness/segment-names.ts';

type Call = (segment: Segment) => unknown;
const anyArg = (value: unknown) => value as never;

// [what, call, expected code, a fragment the message must contain]
const badCalls: [string, Call, ShimErrorCode, string][] = [
  ['index past the end', (s) => s.load(16), 'ERANGE', 'index 16'],
  ['negative index', (s) => s.store(-1, 1), 'ERANGE', 'index -1'],
  ['fractional index', (s) => s.add(1.5, 1), 'ERANGE', 'index 1.5'],
  ['string index', (s) => s.load(anyArg('0')), 'ERANGE', 'index 0'],
  ['NaN index', (s) => s.exchange(NaN, 1), 'ERANGE', 'NaN'],
  ['string value', (s) => s.store(0, anyArg('7')), 'EINVAL', 'string'],
  ['bigint value', (s) => s.add(0, anyArg(1n)), 'EINVAL', 'bigint'],
  ['missing value', (s) => s.xor(0, anyArg(undefined)), 'EINVAL', 'undefined'],
  [
    'compareExchange without replacement',
    (s) => s.compareExchange(0, 0, anyArg(undefined)),
    'EINVAL',
    'replacement',
  ],
  ['negative wait timeout', (s) => s.wait(0, 0, -5), 'EINVAL', '-5'],
  ['NaN wait timeout', (s) => s.wait(0, 0, NaN), 'EINVAL', 'NaN'],
  ['wait on a bad index', (s) => s.wait(99, 0, 0), 'ERANGE', 'index 99'],
  ['negative notify count', (s) => s.notify(0, -1), 'EINVAL', '-1'],
  ['notify on a bad index', (s) => s.notify(-3), 'ERANGE', 'index -3'],
  ['read past the end', (s) => s.read(60, 8), 'ERANGE', '[60, 60 + 8)'],
  ['read of a negative length', (s) => s.read(0, -1), 'EINVAL', '-1'],
  ['write of a non-Uint8Array', (s) => s.write(0, anyArg([1, 2])), 'EINVAL', 'Uint8Array'],
  ['write past the end', (s) => s.write(62, new Uint8Array(4)), 'ERANGE', '[62, 62 + 4)'],
  ['unaligned object offset', (s) => s.cellIndex(6), 'EALIGN', 'byteOffset 6'],
  ['object past the end', (s) => s.cellIndex(60, 2), 'ERANGE', 'do not fit'],
  ['bad segment name', () => Segment.create('a/b', 64), 'EINVAL', '"a/b"'],
  ['empty segment name', () => Segment.create('', 64), 'EINVAL', 'bad segment name'],
  ['name too long', () => Segment.create('x'.repeat(300), 64), 'EINVAL', 'bad segment name'],
  ['non-string name', () => Segment.open(anyArg(42)), 'EINVAL', 'name must be a string'],
  ['size 0', () => Segment.create(uniqueSegmentName('zero'), 0), 'EINVAL', 'got 0'],
  [
    'size too large',
    () => Segment.create(uniqueSegmentName('huge'), 2 ** 40),
    'EINVAL',
    '1073741824',
  ],
  ['fractional size', () => Segment.create(uniqueSegmentName('frac'), 10.5), 'EINVAL', '10.5'],
  [
    'size of the wrong type',
    () => Segment.create(uniqueSegmentName('type'), anyArg('64')),
    'EINVAL',
    'number',
  ],
  [
    'open a missing segment',
    () => Segment.open(uniqueSegmentName('missing')),
    'ENOENT',
    'no segment named',
  ],
  [
    'unlink a missing segment',
    () => Segment.unlink(uniqueSegmentName('missing')),
    'ENOENT',
    'no segment named',
  ],
  ['create an existing segment', (s) => Segment.create(s.name, 64), 'EEXIST', 'already exists'],
  ['read from a bad fd', () => read(987654, 16), 'EBADF', 'fd 987654'],
  ['write a string to an fd', () => write(1, anyArg('text')), 'EINVAL', 'Uint8Array'],
  ['close a negative fd', () => close(-1), 'EINVAL', 'fd'],
  [
    'mkfifo in a missing folder',
    () => mkfifo('/nonexistent-dir/fifo'),
    'ENOENT',
    '/nonexistent-dir/fifo',
  ],
  [
    'open a missing message queue',
    () => MessageQueue.open(uniqueSegmentName('mq')),
    'ENOENT',
    'mq_open',
  ],
];

describe('bad calls to the shim', () => {
  it.each(badCalls)('%s throws %s', (_what, call, code, fragment) => {
    const segment = scratchSegment(64, 'errors');
    let thrown: unknown;
    try {
      call(segment);
    } catch (error) {
      thrown = error;
    }
    expect(thrown, 'the call should have thrown').toBeInstanceOf(Error);
    expect((thrown as { code?: string }).code).toBe(code);
    expect((thrown as Error).message).toContain(fragment);
  });

  it('every operation on a closed segment throws ECLOSED, and the name stays usable', () => {
    const segment = scratchSegment(64, 'closed');
    segment.store(0, 3);
    segment.close();
    const calls: Call[] = [
      (s) => s.load(0),
      (s) => s.store(0, 1),
      (s) => s.add(0, 1),
      (s) => s.compareExchange(0, 0, 1),
      (s) => s.wait(0, 0, 0),
      (s) => s.notify(0),
      (s) => s.read(0, 4),
      (s) => s.write(0, new Uint8Array(1)),
      (s) => s.cellIndex(0),
    ];
    for (const call of calls)
      expect(() => call(segment)).toThrow(expect.objectContaining({ code: 'ECLOSED' }));
    expect(segment.closed).toBe(true);
    const again = Segment.open(segment.name);
    expect(again.load(0)).toBe(3);
    again.close();
  });

  it('waitAsync rejects (never throws synchronously) on a bad call', async () => {
    const segment = scratchSegment(64, 'async-errors');
    await expect(segment.waitAsync(99, 0)).rejects.toMatchObject({ code: 'ERANGE' });
    await expect(segment.waitAsync(0, 0, -1)).rejects.toMatchObject({ code: 'EINVAL' });
  });
});
