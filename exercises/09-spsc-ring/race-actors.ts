// The actors of the race check (race.test.ts). Each runs in a worker thread or
// a child process. A scheduler picks who runs at every shim call, so each run
// tries one interleaving of the producer's and the consumer's calls.
import { Segment } from '@ipc-course/shim';
import { SpscRing } from './spsc-ring.ts';

export interface RaceArgs {
  segment: string;
  /** Where the ring is, and a cell the producer sets once it has filled the ring. */
  offset: number;
  go: number;
  values: number[];
}

/** Fills the ring with push(), lets the consumer go, then put()s the other values. */
export function produce(args: RaceArgs): number {
  const segment = Segment.open(args.segment);
  try {
    const ring = new SpscRing(segment, args.offset);
    let next = 0;
    while (next < args.values.length && ring.push(args.values[next])) next++;
    segment.store(args.go, 1); // full: the consumer may start
    segment.notify(args.go);
    for (; next < args.values.length; next++) ring.put(args.values[next]);
    return args.values.length;
  } finally {
    segment.close();
  }
}

/** Once the ring is full, takes as many values as are put: pop() first, take() if it is empty. */
export function consume(args: RaceArgs): number[] {
  const segment = Segment.open(args.segment);
  try {
    const ring = new SpscRing(segment, args.offset);
    while (segment.load(args.go) === 0) segment.wait(args.go, 0);
    const taken: number[] = [];
    while (taken.length < args.values.length) {
      const value = ring.pop() ?? ring.take();
      if (value === undefined) return [...taken, -1]; // take() with no timeout never gives up
      taken.push(value);
    }
    return taken;
  } finally {
    segment.close();
  }
}
