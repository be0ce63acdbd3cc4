// The actors of the race check (race.test.ts). Each runs in a worker thread or
// a child process. A scheduler picks who runs at every shim call, so each run
// tries one interleaving of the writer's and the reader's calls.
import { Segment } from '@ipc-course/shim';
import { ShmPipe } from './shm-pipe.ts';

export interface RaceArgs {
  segment: string;
  /** Where the pipe is. */
  offset: number;
  chunks: number[][];
  readSize: number;
}

/** Writes each chunk whole, then closes the write end. */
export function writeChunks(args: RaceArgs): number {
  const segment = Segment.open(args.segment);
  try {
    const pipe = new ShmPipe(segment, args.offset);
    for (const chunk of args.chunks) pipe.write(Uint8Array.from(chunk));
    pipe.closeWriter();
    return args.chunks.length;
  } finally {
    segment.close();
  }
}

/** Reads up to readSize bytes at a time until end of file; returns every byte, in order. */
export function readToEnd(args: RaceArgs): number[] {
  const segment = Segment.open(args.segment);
  try {
    const pipe = new ShmPipe(segment, args.offset);
    const got: number[] = [];
    for (let bytes = pipe.read(args.readSize); bytes?.length; bytes = pipe.read(args.readSize))
      got.push(...bytes);
    return got;
  } finally {
    segment.close();
  }
}
