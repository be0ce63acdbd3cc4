// Actors of the mutex suite's controlled test: short enough for the scheduler
// to try hundreds of interleavings, each shim call a scheduling point.
import { Segment } from '@ipc-course/shim';

interface MutexLike {
  lock(timeoutMs?: number): boolean;
  tryLock(): boolean;
  lockAsync(timeoutMs?: number): Promise<boolean>;
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
  /** mixedRounds: tryLock first each round; if it fails, lock() or lockAsync(). */
  enter?: 'lock' | 'try-lock' | 'try-lockAsync';
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

/**
 * `rounds` critical sections, entered as `enter` says: tryLock then races
 * lock() and lockAsync() of the others, and a failed tryLock must leave a
 * waiter's announcement alone. Returns the overlaps and tryLock's successes.
 */
export async function mixedRounds(
  args: ControlledArgs,
): Promise<{ overlaps: number; tried: number }> {
  const { Mutex } = (await import(args.implementation)) as { Mutex: MutexClass };
  const segment = Segment.open(args.segment);
  try {
    const mutex = new Mutex(segment, args.mutexOffset);
    let overlaps = 0;
    let tried = 0;
    for (let round = 0; round < args.rounds; round++) {
      const enter = args.enter ?? 'lock';
      if (enter !== 'lock' && mutex.tryLock()) tried++;
      else if (enter === 'try-lockAsync') {
        if (!(await mutex.lockAsync()))
          throw new Error('lockAsync() without a timeout returned false');
      } else if (!mutex.lock()) throw new Error('lock() without a timeout returned false');
      if (segment.add(args.inside, 1) !== 0) overlaps++;
      segment.store(args.counter, segment.load(args.counter) + 1);
      segment.sub(args.inside, 1);
      mutex.unlock();
    }
    return { overlaps, tried };
  } finally {
    segment.close();
  }
}
