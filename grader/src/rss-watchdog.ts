// The memory limit where the grader cannot make a cgroup: every so often, add up
// the anonymous resident memory (heaps, buffers, stacks: RssAnon in
// /proc/PID/status) of every process in the grading's process group, and kill
// the group once the sum passes the limit.
//
// Resident memory, never address space: V8 reserves gigabytes of virtual memory
// per isolate (its code range, its heap cage) that it never touches, so a bound
// on address space (ulimit -v, ulimit -d) kills a correct submission as soon as
// it starts a worker thread. Shared memory (segments, libraries) is left out: it
// is not anonymous, and counting it once per process that maps it would be wrong.
import { readFileSync } from 'node:fs';
import { allStats } from '../harness/proc-stat.ts';

const POLL_MS = 250;

/** Anonymous resident bytes of one process, or 0 when it is gone. */
function anonymousResidentBytes(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^RssAnon:\s+(\d+) kB$/m);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The pids whose process group is `group`. */
export function groupMembers(group: number): number[] {
  return allStats()
    .filter((stat) => stat.pgrp === group)
    .map((stat) => stat.pid);
}

export function groupResidentBytes(group: number): number {
  return groupMembers(group).reduce((sum, pid) => sum + anonymousResidentBytes(pid), 0);
}

/**
 * Calls `onExceeded` once, the first time the group's resident memory passes
 * `limitBytes`. Returns the function that stops watching.
 */
export function watchGroupMemory(
  group: number,
  limitBytes: number,
  onExceeded: (residentBytes: number) => void,
): () => void {
  const timer = setInterval(() => {
    const resident = groupResidentBytes(group);
    if (resident <= limitBytes) return;
    clearInterval(timer);
    onExceeded(resident);
  }, POLL_MS);
  return () => clearInterval(timer);
}
