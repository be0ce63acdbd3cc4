// Actors of the barrier suite's controlled test (see harness/schedule/).
import { Segment } from '@ipc-course/shim';

interface BarrierLike {
  wait(timeoutMs?: number): boolean;
}
type BarrierClass = new (segment: Segment, byteOffset: number) => BarrierLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  barrierOffset: number;
  parties: number;
  rounds: number;
  arrivals: number;
  serials: number;
}

/** Passes the barrier `rounds` times; returns, per round, how many had arrived when it left (all of them, if correct). */
export async function passRounds(args: ControlledArgs): Promise<number[]> {
  const { Barrier } = (await import(args.implementation)) as { Barrier: BarrierClass };
  const segment = Segment.open(args.segment);
  try {
    const barrier = new Barrier(segment, args.barrierOffset);
    const seen: number[] = [];
    for (let round = 0; round < args.rounds; round++) {
      segment.add(args.arrivals + round, 1);
      if (barrier.wait()) segment.add(args.serials + round, 1);
      seen.push(segment.load(args.arrivals + round));
    }
    return seen;
  } finally {
    segment.close();
  }
}
