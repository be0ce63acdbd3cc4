// CPU time of a thread, read by the trusted side from /proc/<pid>/task/<tid>/schedstat
// (nanoseconds on CPU). A thread asleep in the futex adds almost nothing; one
// that spins adds its wall time. The untrusted side never reports this figure:
// it would report whatever a submission makes it say.
import { readFileSync } from 'node:fs';
import type { ProcThread } from './actor-thread.ts';

/** Milliseconds the thread has spent on a CPU so far; NaN once it is gone. */
export function threadCpuMs({ pid, tid }: ProcThread): number {
  try {
    const [onCpuNs] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
    return Number(onCpuNs) / 1e6;
  } catch {
    return Number.NaN;
  }
}
