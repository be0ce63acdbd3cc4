// Actors of the condition variable suite's controlled test (see harness/schedule/):
// waiters take tokens a signaller hands out under the given mutex (the course's
// own copy, laid beside the submission's condvar.ts by grading).
import { Segment } from '@ipc-course/shim';
import type { Mutex } from '../../../exercises/06-condition-variable/mutex.ts';

interface ConditionLike {
  wait(mutex: Mutex, timeoutMs?: number): boolean;
  signal(): void;
  broadcast(): void;
}
type ConditionClass = new (segment: Segment, byteOffset: number) => ConditionLike;

export interface ControlledArgs {
  implementation: string;
  segment: string;
  conditionOffset: number;
  mutexOffset: number;
  tokens: number;
  /** takeToken: tokens to take (1 unless given; 0: the actor does nothing). */
  takes?: number;
  /** handOutTokens: tokens handed out with a broadcast, then with a signal (2 and 1 unless given). */
  broadcastTokens?: number;
  signalTokens?: number;
}

async function attach(
  args: ControlledArgs,
): Promise<{ condition: ConditionLike; mutex: Mutex; segment: Segment }> {
  const { ConditionVariable } = (await import(args.implementation)) as {
    ConditionVariable: ConditionClass;
  };
  const { Mutex } = (await import(new URL('./mutex.ts', args.implementation).href)) as {
    Mutex: typeof import('../../../exercises/06-condition-variable/mutex.ts').Mutex;
  };
  const segment = Segment.open(args.segment);
  return {
    condition: new ConditionVariable(segment, args.conditionOffset),
    mutex: new Mutex(segment, args.mutexOffset),
    segment,
  };
}

/** Waits, in the canonical while loop, for a token, and takes it; true if it held the mutex on every return from wait. */
export async function takeToken(args: ControlledArgs): Promise<boolean> {
  if (args.takes === 0) return true;
  const { condition, mutex, segment } = await attach(args);
  try {
    mutex.lock();
    let relocked = true;
    while (segment.load(args.tokens) === 0) {
      condition.wait(mutex);
      if (mutex.tryLock()) {
        relocked = false; // wait returned without the mutex: we just took it ourselves
      }
    }
    segment.sub(args.tokens, 1);
    mutex.unlock();
    return relocked;
  } finally {
    segment.close();
  }
}

/** Two tokens with a broadcast, then one more with a signal (smaller versions: fewer, or either alone). */
export async function handOutTokens(args: ControlledArgs): Promise<void> {
  const { condition, mutex, segment } = await attach(args);
  const broadcastTokens = args.broadcastTokens ?? 2;
  const signalTokens = args.signalTokens ?? 1;
  try {
    if (broadcastTokens > 0) {
      mutex.lock();
      segment.add(args.tokens, broadcastTokens);
      condition.broadcast();
      mutex.unlock();
    }
    if (signalTokens > 0) {
      mutex.lock();
      segment.add(args.tokens, signalTokens);
      condition.signal();
      mutex.unlock();
    }
  } finally {
    segment.close();
  }
}
