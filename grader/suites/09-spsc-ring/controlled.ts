// Actors of the SPSC ring suite's controlled test (see harness/schedule/).
import { Segment } from '@ipc-course/shim';

interface RingLike {
  push(value: number): boolean;
  pop(): number | undefined;
  put(value: number, timeoutMs?: number): boolean;
  take(timeoutMs?: number): number | undefined;
}
type RingClass = new (segment: Segment, byteOffset: number) => RingLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  ringOffset: number;
  values: number[];
}

async function attach(args: ControlledArgs): Promise<{ ring: RingLike; segment: Segment }> {
  const { SpscRing } = (await import(args.implementation)) as { SpscRing: RingClass };
  const segment = Segment.open(args.segment);
  return { ring: new SpscRing(segment, args.ringOffset), segment };
}

/** Puts `values` in order: the first with push (retried after a put if full), the rest with put. */
export async function produce(args: ControlledArgs): Promise<void> {
  const { ring, segment } = await attach(args);
  try {
    const [first, ...rest] = args.values;
    if (!ring.push(first)) ring.put(first);
    for (const value of rest) ring.put(value);
  } finally {
    segment.close();
  }
}

/** Takes as many values as were put; returns them in the order taken. */
export async function consume(args: ControlledArgs): Promise<number[]> {
  const { ring, segment } = await attach(args);
  try {
    const taken: number[] = [];
    const early = ring.pop();
    if (early !== undefined) taken.push(early);
    while (taken.length < args.values.length) {
      const value = ring.take();
      if (value === undefined) return [...taken, -1]; // take() with no timeout must never give up
      taken.push(value);
    }
    return taken;
  } finally {
    segment.close();
  }
}
