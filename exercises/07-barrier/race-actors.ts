// The actors of the race check (race.test.ts). Each runs in a worker thread or
// a child process. A scheduler picks who runs at every shim call, so each run
// tries one interleaving of their wait() calls.
import { Segment } from '@ipc-course/shim';
import { Barrier } from './barrier.ts';

export interface RaceArgs {
  segment: string;
  /** Where the barrier is; cells `arrived` and `serial` hold one counter per round. */
  offset: number;
  arrived: number;
  serial: number;
  rounds: number;
}

/** Passes the barrier `rounds` times; returns, per round, how many had arrived when it left. */
export function passRounds(args: RaceArgs): number[] {
  const segment = Segment.open(args.segment);
  try {
    const barrier = new Barrier(segment, args.offset);
    const seen: number[] = [];
    for (let round = 0; round < args.rounds; round++) {
      segment.add(args.arrived + round, 1);
      if (barrier.wait()) segment.add(args.serial + round, 1);
      seen.push(segment.load(args.arrived + round));
    }
    return seen;
  } finally {
    segment.close();
  }
}
