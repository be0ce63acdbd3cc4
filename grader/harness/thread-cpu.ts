// A thread's scheduler times, read by the trusted side from
// /proc/<pid>/task/<tid>/schedstat: nanoseconds on a CPU, then nanoseconds
// runnable but waiting for one (run queue). A thread asleep in the futex adds
// to neither; one that spins adds its whole wall time to their sum, however
// loaded the machine is (on a busy machine it waits more and runs less). The
// untrusted side never reports these figures: it would say whatever a
// submission makes it say.
import { readFileSync } from 'node:fs';
import type { ProcThread } from './actor-thread.ts';

export interface ThreadTimes {
  /** Milliseconds on a CPU so far. */
  onCpuMs: number;
  /** Milliseconds runnable but waiting for a CPU so far. */
  waitingMs: number;
}

/** The thread's times so far; NaN in both once it is gone. */
export function threadTimes({ pid, tid }: ProcThread): ThreadTimes {
  try {
    const [onCpuNs, waitingNs] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')
      .trim()
      .split(' ')
      .map(Number);
    return { onCpuMs: onCpuNs / 1e6, waitingMs: waitingNs / 1e6 };
  } catch {
    return { onCpuMs: Number.NaN, waitingMs: Number.NaN };
  }
}
