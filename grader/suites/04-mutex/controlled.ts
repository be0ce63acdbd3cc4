// Actors of the mutex suite's controlled test: short enough for the scheduler
// to try hundreds of interleavings, each shim call a scheduling point.
import { Segment } from '@ipc-course/shim';

interface MutexLike {
  lock(timeoutMs?: number): boolean;
  unlock(): void;
}
type MutexClass = new (segment: Segment, byteOffset: number) => MutexLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  mutexOffset: number;
  counter: number;
  inside: number;
  rounds: number;
  timeoutMs?: number;
}

/** `rounds` critical sections; returns how many times it found someone else inside. */
export async function lockedRounds(
  args: ControlledArgs,
): Promise<{ overlaps: number; timedOut: number }> {
  const { Mutex } = (await import(args.implementation)) as { Mutex: MutexClass };
  const segment = Segment.open(args.segment);
  try {
    const mutex = new Mutex(segment, args.mutexOffset);
    let overlaps = 0;
    let timedOut = 0;
    for (let round = 0; round < args.rounds; round++) {
      if (!mutex.lock(args.timeoutMs)) {
        timedOut++;
        continue;
      }
      if (segment.add(args.inside, 1) !== 0) overlaps++;
      segment.store(args.counter, segment.load(args.counter) + 1);
      segment.sub(args.inside, 1);
      mutex.unlock();
    }
    return { overlaps, timedOut };
  } finally {
    segment.close();
  }
}
