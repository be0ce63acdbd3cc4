// Hidden suite: the shared-memory pipe (exercise 12-shm-pipe). Names read as
// the contract; points per test are in points.json. Every race check carries
// its seed. A pipe has one writer and one reader: each test gives each side
// to exactly one thread or process.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type * as ShmPipeModule from '@submission/12-shm-pipe/shm-pipe.ts';
import { seededRandom, type Segment } from '@ipc-course/shim';
import {
  describeFailures,
  runActors,
  watchActors,
  type ActorOutcome,
  type ActorSpec,
} from '../../harness/actors.ts';
import { cpuWhileBlocked, expectLittleCpu } from '../../harness/blocked-cpu.ts';
import { seeded } from '../../harness/seed.ts';
import { scratchSegment } from '../../harness/segments.ts';
import { submissionModule } from '../../harness/submission.ts';
import { remoteModule } from '../../harness/realm/remote.ts';
import {
  actorsOf,
  EVENT_LOOP_GAP_LIMIT_MS,
  invariantsHold,
  until,
  whileHostAwaits,
  thrownCodeAsync,
} from '../../harness/suite-kit.ts';
import { underControl, type ActorResult } from '../../harness/schedule/under-control.ts';
import type { Shared } from './scenarios.ts';

const ID = '12-shm-pipe';
const scenarios = new URL('./scenarios.ts', import.meta.url);
const implementation = submissionModule(ID, 'shm-pipe.ts');
// The submission runs in an untrusted object host; this process gets data back.
const { ShmPipe } = remoteModule<typeof ShmPipeModule>(ID, 'shm-pipe.ts');
type ShmPipe = ShmPipeModule.ShmPipe;

// Layout of the test segment: the pipe at byte 64 (not 0, to catch offset
// mistakes), the suite's own cells from cell 8 (bytes 32-63), more pipes from SECOND_OFFSET.
const PIPE_OFFSET = 64;
const FLAG = 8;
const SECOND_OFFSET = 128 * 1024;
const SEGMENT_BYTES = 256 * 1024;

function setUp(
  label: string,
  capacity: number,
): { segment: Segment; pipe: ShmPipe; shared: Shared } {
  const segment = scratchSegment(SEGMENT_BYTES, label);
  const pipe = ShmPipe.init(segment, PIPE_OFFSET, capacity);
  return {
    segment,
    pipe,
    shared: { implementation, segment: segment.name, pipeOffset: PIPE_OFFSET },
  };
}

const actor = actorsOf(scenarios);
const valueFrom = <T>(outcome: ActorOutcome) => outcome.value as T;
const bytes = (...values: number[]) => Uint8Array.from(values);
const list = (got: Uint8Array | undefined) => (got === undefined ? undefined : [...got]);

describe('ShmPipe (hidden)', () => {
  test(
    'follows the contract on one thread: byteLength, init, write, short reads, wrap-around',
    { timeout: 10_000 },
    seeded(ID, (seed) => {
      const { segment, pipe } = setUp('contract', 10);
      const size = ShmPipe.byteLength(10);
      expect(
        Number.isInteger(size) && size >= 10 && size % 4 === 0 && size <= 1024,
        `ShmPipe.byteLength(10) = ${size}`,
      ).toBe(true);
      expect(ShmPipe.byteLength(1000), 'byteLength grows with the capacity').toBeGreaterThanOrEqual(
        ShmPipe.byteLength(10) + 980,
      );
      invariantsHold(pipe);
      expect(
        pipe.write(bytes(1, 2, 3, 4, 5, 6, 7)),
        'write(7 bytes) into an empty pipe of 10',
      ).toBe(7);
      expect(list(pipe.read(4)), 'read(4)').toEqual([1, 2, 3, 4]);
      expect(list(pipe.read(100)), 'read(100) returns what is there: a short read').toEqual([
        5, 6, 7,
      ]);
      expect(
        list(pipe.read(100, 0)),
        'read(100, 0) on an empty, open pipe: timed out at once',
      ).toBeUndefined();
      expect(pipe.write(new Uint8Array(0)), 'write(0 bytes)').toBe(0);
      const ten = bytes(10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
      expect(
        pipe.write(ten),
        'write(10 bytes) into an empty pipe of 10, across the end of the ring',
      ).toBe(10);
      expect(
        pipe.write(bytes(99), { timeoutMs: 0 }),
        'write(1 byte, { timeoutMs: 0 }) into a full pipe',
      ).toBe(0);
      expect(
        pipe.write(bytes(99), { partial: true, timeoutMs: 0 }),
        'a partial write with timeoutMs 0 into a full pipe',
      ).toBe(0);
      const attached = new ShmPipe(segment, PIPE_OFFSET); // the same pipe, attached again
      expect(list(attached.read(3)), 'read(3) through a second instance').toEqual([10, 11, 12]);
      expect(list(pipe.read(10)), 'read(10) across the end of the ring').toEqual([
        13, 14, 15, 16, 17, 18, 19,
      ]);
      // Random lengths, so writes and reads wrap at every position of the ring.
      const random = seededRandom(seed);
      let next = 0;
      let expected = 0;
      for (let round = 0; round < 200; round++) {
        const length = 1 + Math.floor(random() * 10);
        const chunk = Uint8Array.from({ length }, (_, i) => (next + i) % 256);
        expect(pipe.write(chunk), `round ${round}: write(${length} bytes) into an empty pipe`).toBe(
          length,
        );
        next += length;
        while (expected < next) {
          const want = 1 + Math.floor(random() * 10);
          const got = pipe.read(want, 0);
          const wanted = Array.from(
            { length: Math.min(want, next - expected) },
            (_, i) => (expected + i) % 256,
          );
          expect(list(got), `round ${round}: read(${want}) at stream byte ${expected}`).toEqual(
            wanted,
          );
          expected += wanted.length;
        }
      }
      invariantsHold(pipe);
      const ring = ShmPipe.byteLength(10);
      const untouched = [...segment.read(0, 32), ...segment.read(PIPE_OFFSET + ring, 1024)];
      expect(
        untouched.every((b) => b === 0),
        'the pipe writes only inside its own byteLength(capacity) bytes',
      ).toBe(true);
    }),
  );

  test(
    'throws EINVAL for bad arguments',
    { timeout: 10_000 },
    seeded(ID, async () => {
      const { segment, pipe } = setUp('misuse', 8);
      for (const capacity of [0, -1, 1.5, Number.NaN]) {
        expect(
          await thrownCodeAsync(() => ShmPipe.byteLength(capacity)),
          `byteLength(${capacity})`,
        ).toBe('EINVAL');
        expect(
          await thrownCodeAsync(() => ShmPipe.init(segment, SECOND_OFFSET, capacity)),
          `init(…, ${capacity})`,
        ).toBe('EINVAL');
      }
      expect(
        await thrownCodeAsync(() => pipe.write([1, 2] as unknown as Uint8Array)),
        'write([1, 2]): an array, not a Uint8Array',
      ).toBe('EINVAL');
      expect(
        await thrownCodeAsync(() => pipe.write(bytes(1), { timeoutMs: -1 })),
        'write(…, { timeoutMs: -1 })',
      ).toBe('EINVAL');
      for (const maxBytes of [0, -1, 1.5, Number.NaN]) {
        expect(await thrownCodeAsync(() => pipe.read(maxBytes, 0)), `read(${maxBytes}, 0)`).toBe(
          'EINVAL',
        );
        expect(
          await thrownCodeAsync(() => pipe.readAsync(maxBytes, 0)),
          `readAsync(${maxBytes}, 0)`,
        ).toBe('EINVAL');
      }
      expect(await thrownCodeAsync(() => pipe.read(4, -1)), 'read(4, -1)').toBe('EINVAL');
      expect(
        [pipe.write(bytes(5, 6)), list(pipe.read(8, 0))],
        'the pipe still works after refused calls',
      ).toEqual([2, [5, 6]]);
      invariantsHold(pipe);
    }),
  );

  test(
    'streams 8 MiB of seeded random bytes from a writer process to a reader worker, exactly',
    { timeout: 60_000 },
    seeded(ID, async (seed) => {
      const capacity = [4096, 1000 + (seed % 3000), 65536][seed % 3]; // a power of two, an odd size, the kernel's size
      const { pipe, shared } = setUp('stream', capacity);
      const stream = { ...shared, seed, totalBytes: 8 << 20, maxChunk: 3 * capacity };
      const outcomes = await runActors(
        [
          actor('writer', 'process', 'streamWriter', stream),
          actor('reader', 'worker', 'streamReader', stream),
        ],
        { timeoutMs: 40_000, perturb: { probability: 0.02, seed } },
      );
      const reader =
        outcomes[1].status === 'done'
          ? valueFrom<{ at: number; problem: string }>(outcomes[1])
          : undefined;
      expect(
        reader?.problem ?? '',
        `8 MiB through a pipe of ${capacity} bytes: the reader's bytes against the writer's`,
      ).toBe('');
      expect(
        describeFailures(outcomes),
        'writer and reader finish (a hang here is a lost wakeup)',
      ).toBe('');
      expect(reader?.at, 'bytes read before end of file').toBe(8 << 20);
      invariantsHold(pipe);
    }),
  );

  test(
    'writes with partial: true only what fits, sleeping only while the pipe is completely full',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, pipe, shared } = setUp('partial', 8);
      expect(pipe.write(bytes(1, 2, 3, 4, 5)), 'write(5 bytes) into an empty pipe of 8').toBe(5);
      expect(
        pipe.write(bytes(6, 7, 8, 9, 10), { partial: true }),
        'a partial write of 5 bytes with room for 3',
      ).toBe(3);
      let start = performance.now();
      expect(
        pipe.write(bytes(11), { partial: true, timeoutMs: 200 }),
        'a partial write into a full pipe, timeoutMs 200',
      ).toBe(0);
      expect(performance.now() - start, 'it gave up after (ms)').toBeGreaterThanOrEqual(190);
      // A reader takes 4 bytes 300 ms from now: the sleeping partial write then writes what fits and returns.
      const reader = runActors(
        [
          actor('reader', 'worker', 'actAfter', {
            ...shared,
            flag: FLAG,
            afterMs: 300,
            readMax: 4,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the reader to start');
      start = performance.now();
      expect(
        pipe.write(bytes(11, 12, 13, 14, 15, 16), { partial: true, timeoutMs: 8000 }),
        'a partial write of 6 bytes into a full pipe, once 4 bytes are read',
      ).toBe(4);
      expect(performance.now() - start, 'it returned after (ms)').toBeLessThan(4000);
      const [outcome] = await reader;
      expect(describeFailures([outcome])).toBe('');
      expect(
        valueFrom<{ read: number[] }>(outcome).read,
        'the reader got the oldest 4 bytes',
      ).toEqual([1, 2, 3, 4]);
      expect(list(pipe.read(100, 0)), 'the pipe holds the rest, in order').toEqual([
        5, 6, 7, 8, 11, 12, 13, 14,
      ]);
      // Without partial, a write larger than the pipe goes in pieces while a reader drains it.
      segment.store(FLAG, 0);
      const drain = runActors(
        [
          actor('reader', 'worker', 'countingReader', {
            ...shared,
            flag: FLAG,
            afterMs: 0,
            maxRead: 5,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the reader to start');
      const big = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
      expect(
        pipe.write(big, { timeoutMs: 8000 }),
        'write(1000 bytes) through a pipe of 8, without partial',
      ).toBe(1000);
      pipe.closeWriter();
      const [drained] = await drain;
      expect(describeFailures([drained])).toBe('');
      expect(valueFrom<{ read: number; problem: string }>(drained), 'what the reader got').toEqual({
        read: 1000,
        problem: '',
      });
      invariantsHold(pipe);
    }),
  );

  test(
    'reports end of file only after every byte is read, also to a reader asleep when the writer closes',
    { timeout: 30_000 },
    seeded(ID, async (seed) => {
      const { segment, pipe, shared } = setUp('eof', 16);
      expect(pipe.write(bytes(1, 2, 3, 4, 5))).toBe(5);
      pipe.closeWriter();
      expect(await thrownCodeAsync(() => pipe.write(bytes(6))), 'write after closeWriter()').toBe(
        'ECLOSED',
      );
      expect(
        [list(pipe.read(2)), list(pipe.read(100))],
        'reads after closeWriter() drain what was written',
      ).toEqual([
        [1, 2],
        [3, 4, 5],
      ]);
      const start = performance.now();
      expect(
        [list(pipe.read(100)), list(await pipe.readAsync(100)), list(pipe.read(100, 0))],
        'read, readAsync, read(…, 0) once closed and drained: end of file',
      ).toEqual([[], [], []]);
      expect(performance.now() - start, 'they return at once (ms)').toBeLessThan(1000);
      pipe.closeWriter(); // a second close changes nothing
      // A writer process writes 3000 bytes through 1000 and closes at once; the reader starts later.
      const second = ShmPipe.init(segment, SECOND_OFFSET, 1000);
      const late = { ...shared, pipeOffset: SECOND_OFFSET };
      const streamed = await runActors(
        [
          actor('writer', 'process', 'countingWriter', {
            ...late,
            count: 3000,
            maxChunk: 700,
            seed,
          }),
          actor('reader', 'worker', 'countingReader', { ...late, afterMs: 300, maxRead: 400 }),
        ],
        { timeoutMs: 10_000 },
      );
      expect(describeFailures(streamed)).toBe('');
      expect(
        valueFrom<{ read: number; problem: string }>(streamed[1]),
        'bytes the reader got before end of file',
      ).toEqual({ read: 3000, problem: '' });
      invariantsHold(second);
      // A reader asleep on an empty pipe wakes with end of file when the writer closes.
      const asleep = ShmPipe.init(segment, SECOND_OFFSET, 64);
      const reader = runActors(
        [actor('reader', 'worker', 'blockedCall', { ...late, flag: FLAG })],
        { timeoutMs: 4000 },
      );
      await until(segment, FLAG, 'the reader to block');
      await sleep(300);
      asleep.closeWriter();
      const [outcome] = await reader;
      expect(
        describeFailures([outcome]),
        'the sleeping reader wakes when the writer closes (a hang is a close that did not wake it)',
      ).toBe('');
      expect(valueFrom<{ returned: number }>(outcome).returned, 'bytes its read(64) returned').toBe(
        0,
      );
    }),
  );

  test(
    'throws EPIPE to a writer asleep in write and to any later write once the reader closes',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, pipe, shared } = setUp('epipe', 16);
      const second = ShmPipe.init(segment, SECOND_OFFSET, 16);
      // Two writers, on two pipes: each writes 40 bytes into 16 and falls asleep while full.
      const specs: ActorSpec[] = [
        actor('writer-worker', 'worker', 'blockedCall', { ...shared, flag: FLAG, writeBytes: 40 }),
        actor('writer-process', 'process', 'blockedCall', {
          ...shared,
          pipeOffset: SECOND_OFFSET,
          flag: FLAG,
          writeBytes: 40,
        }),
      ];
      const writers = runActors(specs, { timeoutMs: 4000 });
      await until(segment, FLAG, 'the writers to block', 2);
      await sleep(300);
      const closedAt = Date.now();
      pipe.closeReader();
      second.closeReader();
      const outcomes = await writers;
      expect(
        describeFailures(outcomes),
        'every writer asleep in write wakes when the reader closes',
      ).toBe('');
      expect(
        outcomes.map((o) => `${o.name}: ${valueFrom<{ code?: string }>(o).code ?? 'returned'}`),
        'what each sleeping write did',
      ).toEqual(['writer-worker: EPIPE', 'writer-process: EPIPE']);
      const slowest = Math.max(
        ...outcomes.map((o) => valueFrom<{ endedAt: number }>(o).endedAt - closedAt),
      );
      expect(slowest, 'the last writer woke this long after closeReader() (ms)').toBeLessThan(3500);
      expect(await thrownCodeAsync(() => pipe.write(bytes(1))), 'a later write').toBe('EPIPE');
      expect(
        await thrownCodeAsync(() => pipe.write(bytes(1), { partial: true, timeoutMs: 0 })),
        'a later partial write',
      ).toBe('EPIPE');
      // A pipe with room: the write after closeReader() fails too, the bytes have nobody to go to.
      const roomy = ShmPipe.init(segment, SECOND_OFFSET, 64);
      roomy.closeReader();
      expect(
        await thrownCodeAsync(() => roomy.write(bytes(1, 2, 3))),
        'write into an empty pipe after closeReader()',
      ).toBe('EPIPE');
    }),
  );

  test(
    'readAsync waits without blocking the event loop',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, pipe, shared } = setUp('async', 16);
      // Both waits last well past EVENT_LOOP_GAP_LIMIT_MS, so blocking through one shows.
      const holdMs = 1500;
      const writer = runActors(
        [
          actor('writer', 'worker', 'actAfter', {
            ...shared,
            flag: FLAG,
            afterMs: holdMs,
            bytes: [7, 8, 9],
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the writer to start');
      // The host answers pings on its event loop; if readAsync blocks its thread
      // anywhere (in the call itself or after an await), a gap spans the wait.
      const got = await whileHostAwaits(pipe.readAsync(64, 8000));
      expect(
        list(got.value),
        `readAsync resolves with the bytes a worker writes ${holdMs} ms later`,
      ).toEqual([7, 8, 9]);
      expect(
        got.longestGapMs,
        `longest gap between answers of the submission's event loop while readAsync waited ${holdMs} ms (ms)`,
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      expect(
        got.answers,
        'pings the event loop answered while readAsync was pending',
      ).toBeGreaterThan(10);
      expect(describeFailures(await writer)).toBe('');
      const timedOut = await whileHostAwaits(pipe.readAsync(64, holdMs));
      expect(list(timedOut.value), `readAsync(64, ${holdMs}) on an empty pipe`).toBeUndefined();
      expect(
        timedOut.longestGapMs,
        `longest gap between answers of the submission's event loop while readAsync(64, ${holdMs}) waited (ms)`,
      ).toBeLessThan(EVENT_LOOP_GAP_LIMIT_MS);
      setTimeout(() => pipe.closeWriter(), 200);
      expect(list(await pipe.readAsync(64, 8000)), 'readAsync when the writer closes').toEqual([]);
    }),
  );

  test(
    'streams through a tiny pipe (1 to 7 bytes) without losing a wakeup (workers + processes)',
    { timeout: 40_000 },
    seeded(ID, async (seed) => {
      const segment = scratchSegment(SEGMENT_BYTES, 'tiny');
      const shared = { implementation, segment: segment.name };
      const pairs: ['worker' | 'process', 'worker' | 'process'][] = [
        ['process', 'worker'],
        ['worker', 'process'],
        ['worker', 'worker'],
      ];
      const count = 600 + (seed % 300);
      const specs: ActorSpec[] = [];
      const pipes = pairs.map(([writerKind, readerKind], pair) => {
        const capacity = 1 + ((seed + pair * 3) % 7);
        const pipeOffset = SECOND_OFFSET + pair * 256;
        specs.push(
          actor(`writer-${pair}`, writerKind, 'countingWriter', {
            ...shared,
            pipeOffset,
            count,
            maxChunk: 2 * capacity,
            seed: seed + pair,
          }),
        );
        specs.push(
          actor(`reader-${pair}`, readerKind, 'countingReader', {
            ...shared,
            pipeOffset,
            afterMs: 0,
            maxRead: capacity,
          }),
        );
        return { pipe: ShmPipe.init(segment, pipeOffset, capacity), capacity };
      });
      const outcomes = await runActors(specs, {
        timeoutMs: 6000,
        perturb: { probability: 0.1, seed },
      });
      expect(
        describeFailures(outcomes),
        `3 writers each write ${count} bytes through pipes of ${pipes.map((p) => p.capacity).join(', ')} bytes; a hang is a lost wakeup`,
      ).toBe('');
      const readers = outcomes.filter((o) => o.name.startsWith('reader'));
      expect(
        readers.map((o) => valueFrom<{ read: number; problem: string }>(o)),
        'what each reader got',
      ).toEqual(pairs.map(() => ({ read: count, problem: '' })));
      for (const { pipe } of pipes) invariantsHold(pipe);
    }),
  );

  test(
    'sleeps in the futex while blocked, as a reader and as a writer (no CPU burnt)',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { segment, pipe: empty, shared } = setUp('cpu', 16);
      const full = ShmPipe.init(segment, SECOND_OFFSET, 16);
      expect(full.write(new Uint8Array(16))).toBe(16);
      const waiters = watchActors(
        [
          actor('reader', 'worker', 'blockedCall', { ...shared, flag: FLAG }),
          actor('writer', 'worker', 'blockedCall', {
            ...shared,
            pipeOffset: SECOND_OFFSET,
            flag: FLAG,
            writeBytes: 4,
          }),
        ],
        { timeoutMs: 10_000 },
      );
      await until(segment, FLAG, 'the reader and the writer to block', 2);
      const burnt = await cpuWhileBlocked(waiters, ['reader', 'writer'], 1000);
      expect([empty.write(bytes(1, 2, 3)), full.read(64)?.length], 'unblock them').toEqual([3, 16]);
      const outcomes = await waiters.outcomes;
      expect(describeFailures(outcomes)).toBe('');
      for (const outcome of outcomes) {
        const { wallMs } = valueFrom<{ wallMs: number }>(outcome);
        expect(wallMs, `time the ${outcome.name} was blocked (ms)`).toBeGreaterThan(800);
        expectLittleCpu(burnt[outcome.name], `the ${outcome.name}`);
      }
      expect(
        outcomes.map((o) => valueFrom<{ returned: unknown }>(o).returned),
        'the reader got 3 bytes, the writer wrote 4',
      ).toEqual([3, 4]);
    }),
  );

  test(
    'gives up a timed read and a timed write in about their time',
    { timeout: 20_000 },
    seeded(ID, async () => {
      const { pipe } = setUp('timed', 8);
      let start = performance.now();
      expect(list(pipe.read(8, 250)), 'read(8, 250) on an empty pipe').toBeUndefined();
      let waited = performance.now() - start;
      expect(
        [waited >= 240, waited < 3000],
        `read(8, 250) returned after ${waited.toFixed(0)} ms`,
      ).toEqual([true, true]);
      start = performance.now();
      expect(
        pipe.write(
          Uint8Array.from({ length: 20 }, (_, i) => i),
          { timeoutMs: 250 },
        ),
        'write(20 bytes, { timeoutMs: 250 }) into an empty pipe of 8: the bytes written before the timeout',
      ).toBe(8);
      waited = performance.now() - start;
      expect(
        [waited >= 240, waited < 3000],
        `the write returned after ${waited.toFixed(0)} ms`,
      ).toEqual([true, true]);
      start = performance.now();
      expect(
        pipe.write(bytes(1), { timeoutMs: 250 }),
        'write(1 byte, { timeoutMs: 250 }) into a full pipe',
      ).toBe(0);
      waited = performance.now() - start;
      expect(
        [waited >= 240, waited < 3000],
        `the write returned after ${waited.toFixed(0)} ms`,
      ).toEqual([true, true]);
      expect(list(pipe.read(100, 0)), 'the pipe holds the 8 bytes that went in').toEqual([
        0, 1, 2, 3, 4, 5, 6, 7,
      ]);
      invariantsHold(pipe);
    }),
  );

  test(
    'streams every byte once, in order, then end of file, under controlled schedules (3-byte pipe)',
    { timeout: 90_000 },
    seeded(ID, async (seed) => {
      const args = {
        implementation,
        pipeOffset: 64,
        chunks: [
          [1, 2, 3, 4, 5],
          [6, 7],
        ],
        readSize: 2,
      };
      /** The check for a writer writing `chunks`: the reader got their bytes, in order, then end of file. */
      const checkFor = (chunks: number[][]) => (outcomes: ActorResult[]) => {
        const got = outcomes[1].value as number[];
        const expected = chunks.flat().join(', ');
        return got.join(', ') === expected
          ? null
          : `the reader got [${got.join(', ')}] before end of file, expected [${expected}]`;
      };
      await underControl({
        exerciseId: ID,
        seed,
        runs: 150,
        scenarios: new URL('./controlled.ts', import.meta.url),
        segmentBytes: 64 + ShmPipe.byteLength(3),
        init: (segment) => void ShmPipe.init(segment, 64, 3),
        actors: [
          { name: 'writer', kind: 'worker', scenario: 'writeChunks', args },
          { name: 'reader', kind: 'process', scenario: 'readToEnd', args },
        ],
        check: checkFor(args.chunks),
        // A failure is shown in the smallest of these that fails too: far fewer rows.
        smaller: [[[1]], [[1, 2]], [[1, 2, 3, 4]], [[1, 2], [3]]].map((chunks) => ({
          label: `the writer writes ${chunks.map((c) => `[${c.join(', ')}]`).join(' then ')} instead of [1, 2, 3, 4, 5] then [6, 7]`,
          args: [
            { ...args, chunks },
            { ...args, chunks },
          ],
          check: checkFor(chunks),
        })),
      });
    }),
  );
});
