// What the shm-pipe suite's actors run, in worker threads and child processes.
// Each scenario imports the submission's ShmPipe by URL (actors cannot see the
// suite's @submission alias) and attaches to the suite's segment by name.
// One actor is the pipe's writer, another its reader: never two of one side.
import { setTimeout as sleep } from 'node:timers/promises';
import { Segment, seededRandom } from '@ipc-course/shim';

interface PipeLike {
  write(bytes: Uint8Array, options?: { partial?: boolean; timeoutMs?: number }): number;
  read(maxBytes: number, timeoutMs?: number): Uint8Array | undefined;
  readAsync(maxBytes: number, timeoutMs?: number): Promise<Uint8Array | undefined>;
  closeWriter(): void;
  closeReader(): void;
}
type PipeClass = new (segment: Segment, byteOffset: number) => PipeLike;

export interface Shared {
  implementation: string;
  segment: string;
  pipeOffset: number;
}

async function attach({ implementation, segment, pipeOffset }: Shared) {
  const { ShmPipe } = (await import(implementation)) as { ShmPipe: PipeClass };
  const opened = Segment.open(segment);
  return { pipe: new ShmPipe(opened, pipeOffset), segment: opened };
}

/** The stream both ends agree on: `length` pseudo-random bytes from `seed`. */
export function pattern(seed: number, length: number): Uint8Array {
  const random = seededRandom(seed);
  const bytes = new Uint8Array(length);
  const words = new Uint32Array(bytes.buffer, 0, length >> 2);
  for (let i = 0; i < words.length; i++) words[i] = random() * 2 ** 32;
  for (let i = words.length * 4; i < length; i++) bytes[i] = random() * 256;
  return bytes;
}

export interface StreamArgs extends Shared {
  seed: number;
  totalBytes: number;
  /** Writes and reads are 1 .. maxChunk bytes, picked from the seed. */
  maxChunk: number;
}

/** Writes pattern(seed, totalBytes) in random-sized writes (every third one partial, retried), then closes. */
export async function streamWriter(args: StreamArgs) {
  const { pipe } = await attach(args);
  const bytes = pattern(args.seed, args.totalBytes);
  const sizes = seededRandom(args.seed + 1);
  let writes = 0;
  for (let at = 0; at < bytes.length; writes++) {
    const end = Math.min(bytes.length, at + 1 + Math.floor(sizes() * args.maxChunk));
    if (writes % 3 === 2) {
      const count = pipe.write(bytes.subarray(at, end), { partial: true });
      if (!(Number.isInteger(count) && count >= 1 && count <= end - at))
        throw new Error(
          `write(${end - at} bytes, { partial: true }) returned ${count}: expected 1..${end - at}`,
        );
      at += count;
    } else {
      const count = pipe.write(bytes.subarray(at, end));
      if (count !== end - at)
        throw new Error(
          `write(${end - at} bytes) returned ${count}: a write without partial writes every byte`,
        );
      at = end;
    }
  }
  pipe.closeWriter();
  return { writes };
}

/** Reads until end of file in random-sized reads (every eighth a readAsync); reports the first difference from the pattern. */
export async function streamReader(args: StreamArgs) {
  const { pipe } = await attach(args);
  const expected = pattern(args.seed, args.totalBytes);
  const sizes = seededRandom(args.seed + 2);
  let at = 0;
  const firstProblem = async (): Promise<string> => {
    for (let reads = 0; ; reads++) {
      const maxBytes = 1 + Math.floor(sizes() * args.maxChunk);
      const got = reads % 8 === 7 ? await pipe.readAsync(maxBytes) : pipe.read(maxBytes);
      if (!(got instanceof Uint8Array))
        return `read(${maxBytes}) with no timeout returned ${String(got)}, not a Uint8Array`;
      if (got.length === 0) break;
      if (got.length > maxBytes)
        return `read(${maxBytes}) returned ${got.length} bytes, more than asked`;
      for (let i = 0; i < got.length; i++) {
        if (at + i >= expected.length)
          return `read more bytes than were written: byte ${at + i} of a ${expected.length}-byte stream`;
        if (got[i] !== expected[at + i])
          return `byte ${at + i} of the stream is ${got[i]}, the writer wrote ${expected[at + i]} (read number ${reads}, of ${got.length} bytes)`;
      }
      at += got.length;
    }
    return at === expected.length
      ? ''
      : `end of file after ${at} of the ${expected.length} bytes written`;
  };
  const problem = await firstProblem();
  pipe.closeReader(); // after a problem, the writer gets EPIPE instead of sleeping on a full pipe
  return { at, problem };
}

/** Raises `flag`, then blocks in read(64) (or write(`writeBytes` zero bytes) when given); reports what happened and how long it took. */
export async function blockedCall(args: Shared & { flag: number; writeBytes?: number }) {
  const { pipe, segment } = await attach(args);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const wallStart = performance.now();
  let result: { returned?: number | null; code?: string };
  try {
    if (args.writeBytes === undefined) {
      const got = pipe.read(64);
      result = { returned: got === undefined ? null : got.length };
    } else {
      result = { returned: pipe.write(new Uint8Array(args.writeBytes).fill(7)) };
    }
  } catch (error) {
    result = { code: String((error as { code?: unknown }).code ?? (error as Error).message) };
  }
  return { ...result, wallMs: performance.now() - wallStart, endedAt: Date.now() };
}

/** Raises `flag`, sleeps `afterMs`, then writes `bytes` (or, without them, reads up to `readMax`). */
export async function actAfter(
  args: Shared & { flag: number; afterMs: number; bytes?: number[]; readMax?: number },
) {
  const { pipe, segment } = await attach(args);
  segment.store(args.flag, 1);
  segment.notify(args.flag);
  await sleep(args.afterMs);
  if (args.bytes) return { wrote: pipe.write(Uint8Array.from(args.bytes), { timeoutMs: 5000 }) };
  const got = pipe.read(args.readMax ?? 64, 5000);
  return { read: got === undefined ? null : [...got] };
}

/** Writes `count` bytes 0, 1, 2, ... (mod 251) in writes of 1 .. maxChunk bytes, then closes the writer. */
export async function countingWriter(
  args: Shared & { count: number; maxChunk: number; seed: number },
) {
  const { pipe } = await attach(args);
  const sizes = seededRandom(args.seed);
  const bytes = Uint8Array.from({ length: args.count }, (_, i) => i % 251);
  for (let at = 0; at < bytes.length; ) {
    const end = Math.min(bytes.length, at + 1 + Math.floor(sizes() * args.maxChunk));
    pipe.write(bytes.subarray(at, end));
    at = end;
  }
  pipe.closeWriter();
  return { count: args.count };
}

/** Raises `flag` if given, sleeps `afterMs`, then reads to end of file; reports the bytes read and the first out of place. */
export async function countingReader(
  args: Shared & { afterMs: number; maxRead: number; flag?: number },
) {
  const { pipe, segment } = await attach(args);
  if (args.flag !== undefined) segment.add(args.flag, 1);
  if (args.flag !== undefined) segment.notify(args.flag);
  await sleep(args.afterMs);
  let at = 0;
  let problem = '';
  for (let got = pipe.read(args.maxRead); got && got.length > 0; got = pipe.read(args.maxRead)) {
    for (let i = 0; i < got.length && !problem; i++)
      if (got[i] !== (at + i) % 251)
        problem = `byte ${at + i} is ${got[i]}, expected ${(at + i) % 251}`;
    at += got.length;
  }
  return { read: at, problem };
}
