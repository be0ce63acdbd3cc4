// Actors of the bounded buffer suite's controlled test (see harness/schedule/).
import { Segment } from '@ipc-course/shim';

interface BufferLike {
  put(value: number, timeoutMs?: number): boolean;
  take(timeoutMs?: number): number | undefined;
  close(): void;
}
type BufferClass = new (segment: Segment, byteOffset: number) => BufferLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  bufferOffset: number;
  values: number[];
  done: number;
  closeAfter: number;
  /** A smaller version's idle actor: it does nothing. */
  idle?: boolean;
}

async function attach(args: ControlledArgs): Promise<{ buffer: BufferLike; segment: Segment }> {
  const { BoundedBuffer } = (await import(args.implementation)) as { BoundedBuffer: BufferClass };
  const segment = Segment.open(args.segment);
  return { buffer: new BoundedBuffer(segment, args.bufferOffset), segment };
}

/** Puts `values` in order and counts itself done; with closeAfter > 0, waits for that many producers to be done and closes. */
export async function putThenClose(args: ControlledArgs): Promise<void> {
  if (args.idle) return;
  const { buffer, segment } = await attach(args);
  try {
    for (const value of args.values) buffer.put(value);
    segment.add(args.done, 1);
    segment.notify(args.done);
    if (args.closeAfter > 0) {
      for (
        let done = segment.load(args.done);
        done < args.closeAfter;
        done = segment.load(args.done)
      )
        segment.wait(args.done, done);
      buffer.close();
    }
  } finally {
    segment.close();
  }
}

/** Takes until the buffer is closed and drained; returns what it took, in order. */
export async function takeAll(args: ControlledArgs): Promise<number[]> {
  if (args.idle) return [];
  const { buffer, segment } = await attach(args);
  try {
    const taken: number[] = [];
    for (let value = buffer.take(); value !== undefined; value = buffer.take()) taken.push(value);
    return taken;
  } finally {
    segment.close();
  }
}
