// The actors of the race check (race.test.ts). Each runs in a worker thread or
// a child process. A scheduler picks who runs at every shim call, so each run
// tries one interleaving of their put() and take() calls.
import { Segment } from '@ipc-course/shim';
import { BoundedBuffer } from './bounded-buffer.ts';

export interface RaceArgs {
  segment: string;
  /** Where the buffer is. */
  offset: number;
  /** Values to put, in order; or how many to take. */
  values: number[];
  count: number;
  /** Try tryPut() or tryTake() first each time; block only if it fails. */
  tryFirst?: boolean;
}

/** Puts `values` in order. */
export function putValues(args: RaceArgs): number {
  const segment = Segment.open(args.segment);
  try {
    const buffer = new BoundedBuffer(segment, args.offset);
    for (const value of args.values)
      if (!(args.tryFirst && buffer.tryPut(value))) buffer.put(value);
    return args.values.length;
  } finally {
    segment.close();
  }
}

/** Takes `count` values; returns them in the order taken. */
export function takeValues(args: RaceArgs): number[] {
  const segment = Segment.open(args.segment);
  try {
    const buffer = new BoundedBuffer(segment, args.offset);
    const taken: number[] = [];
    for (let i = 0; i < args.count; i++) {
      const value = (args.tryFirst ? buffer.tryTake() : undefined) ?? buffer.take();
      taken.push(value ?? -1); // take() with no timeout never returns undefined while open
    }
    return taken;
  } finally {
    segment.close();
  }
}
