// CPU time of the calling thread, from /proc/thread-self/schedstat (nanoseconds
// on CPU). A thread that sleeps in the futex adds almost nothing; one that spins adds wall time.
import { readFileSync } from 'node:fs';

export function threadCpuMs(): number {
  const [onCpuNs] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
  return Number(onCpuNs) / 1e6;
}
