// What the barrier suite's actors run, in worker threads and child processes.
// Each scenario imports the submission's Barrier by URL (actors cannot see the
// suite's @submission alias) and attaches to the suite's segment by name.
import { setTimeout as sleep } from 'node:timers/promises';
import { Segment } from '@ipc-course/shim';

interface BarrierLike {
  wait(timeoutMs?: number): boolean;
  waitAsync(timeoutMs?: number): Promise<boolean>;
  readonly broken: boolean;
  readonly parties: number;
}
type BarrierClass = new (segment: Segment, byteOffset: number) => BarrierLike;

export interface Shared {
  implementation: string;
  segment: string;
  barrierOffset: number;
}

async function attach({
  implementation,
  segment,
  barrierOffset,
}: Shared): Promise<{ barrier: BarrierLike; segment: Segment }> {
  const { Barrier } = (await import(implementation)) as { Barrier: BarrierClass };
  const opened = Segment.open(segment);
  return { barrier: new Barrier(opened, barrierOffset), segment: opened };
}

/**
 * `rounds` rounds of: count myself in cell arrivals + round, wait, then read
 * that cell again. Every party must have arrived before anyone leaves, and no
 * one can arrive for a later round meanwhile, so the cell must hold exactly
 * `parties`. Parties whose wait returned true add to cell serials + round.
 */
export async function rounds(
  args: Shared & { rounds: number; arrivals: number; serials: number; parties: number },
) {
  const { barrier, segment } = await attach(args);
  let early = 0; // rounds this actor left before every party had arrived
  let lapped = 0; // rounds that had more arrivals than parties when it left
  let first: string | null = null;
  for (let round = 0; round < args.rounds; round++) {
    segment.add(args.arrivals + round, 1);
    const serial = barrier.wait();
    const seen = segment.load(args.arrivals + round);
    if (serial) segment.add(args.serials + round, 1);
    if (seen < args.parties) early++;
    if (seen > args.parties) lapped++;
    if (seen !== args.parties && first === null)
      first = `round ${round}: left with ${seen} of ${args.parties} arrivals`;
  }
  return { early, lapped, first };
}

/** Adds 1 to `flag`, then waits (timed or not, sync or async); reports how it ended and the wall time spent inside. */
export async function arriveAndWait(
  args: Shared & { flag: number; timeoutMs?: number; async?: boolean; afterFlag?: number },
) {
  const { barrier, segment } = await attach(args);
  // Optionally wait (sleeping) until `afterFlag` others have announced themselves.
  for (
    let seen = segment.load(args.flag);
    seen < (args.afterFlag ?? 0);
    seen = segment.load(args.flag)
  )
    segment.wait(args.flag, seen, 50);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  const wallStart = performance.now();
  let result: boolean | null = null;
  let code: string | null = null;
  try {
    result = args.async ? await barrier.waitAsync(args.timeoutMs) : barrier.wait(args.timeoutMs);
  } catch (error) {
    code = String((error as { code?: unknown }).code ?? error);
  }
  const wallMs = performance.now() - wallStart;
  return { result, code, wallMs, brokenAfter: barrier.broken };
}

/** Adds 1 to `flag`, sleeps delayMs, then waits at the barrier. */
export async function arriveLate(args: Shared & { flag: number; delayMs: number }) {
  const { barrier, segment } = await attach(args);
  segment.add(args.flag, 1);
  segment.notify(args.flag);
  await sleep(args.delayMs);
  return { result: barrier.wait() };
}
