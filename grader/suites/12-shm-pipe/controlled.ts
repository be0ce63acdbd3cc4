// Actors of the shared-memory pipe suite's controlled test (see harness/schedule/).
import { Segment } from '@ipc-course/shim';

interface PipeLike {
  write(bytes: Uint8Array, options?: { partial?: boolean; timeoutMs?: number }): number;
  read(maxBytes: number, timeoutMs?: number): Uint8Array | undefined;
  closeWriter(): void;
}
type PipeClass = new (segment: Segment, byteOffset: number) => PipeLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  pipeOffset: number;
  chunks: number[][];
  readSize: number;
}

async function attach(args: ControlledArgs): Promise<{ pipe: PipeLike; segment: Segment }> {
  const { ShmPipe } = (await import(args.implementation)) as { ShmPipe: PipeClass };
  const segment = Segment.open(args.segment);
  return { pipe: new ShmPipe(segment, args.pipeOffset), segment };
}

/** Writes each chunk whole (blocking while full), then closes the write end. */
export async function writeChunks(args: ControlledArgs): Promise<void> {
  const { pipe, segment } = await attach(args);
  try {
    for (const chunk of args.chunks) pipe.write(Uint8Array.from(chunk));
    pipe.closeWriter();
  } finally {
    segment.close();
  }
}

/** Reads up to readSize bytes at a time until end of file; returns every byte read, in order. */
export async function readToEnd(args: ControlledArgs): Promise<number[]> {
  const { pipe, segment } = await attach(args);
  try {
    const got: number[] = [];
    for (
      let bytes = pipe.read(args.readSize);
      bytes !== undefined && bytes.length > 0;
      bytes = pipe.read(args.readSize)
    )
      got.push(...bytes);
    return got;
  } finally {
    segment.close();
  }
}
