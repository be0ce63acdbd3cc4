// Ending everything a submission started. Each sandbox is a process group, and
// one kill ends the group; a process that escaped it (setsid, detached) is
// re-parented to us once its parent dies, because the grader is a subreaper
// (native becomeSubreaper), and is found here by its parent pid.
import { allStats } from '../harness/proc-stat.ts';
import { becomeSubreaper, reapOrphan } from '../../native/internal.ts';

let subreaper = false;

export function adoptOrphans(): void {
  if (!subreaper) becomeSubreaper();
  subreaper = true;
}

export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

/** The pids of this process's own children, read from /proc. */
export function childPids(): number[] {
  return allStats()
    .filter((stat) => stat.ppid === process.pid)
    .map((stat) => stat.pid);
}

/** How long a killed orphan gets to become a zombie we can collect. */
const REAP_WAIT_MS = 1000;

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Collects the killed orphans' exit statuses, so none stays a zombie; waits briefly for the slow. */
function reap(pids: number[]): void {
  let left = pids;
  const deadline = Date.now() + REAP_WAIT_MS;
  while (left.length > 0 && Date.now() < deadline) {
    left = left.filter((pid) => !reapOrphan(pid));
    if (left.length > 0) pause(5);
  }
}

/**
 * Kills orphans re-parented to this process and reaps them; returns how many.
 * Rounds repeat while new ones appear: an orphan that forks as it dies (a
 * double fork in a loop) leaves a child that is re-parented here only after
 * its parent is killed.
 */
export function killStrays(keep: Set<number>): number {
  let total = 0;
  for (let round = 0; round < 20; round++) {
    // Our children that are not sandboxes still running: orphans of finished runs.
    const strays = childPids().filter((pid) => !keep.has(pid));
    if (strays.length === 0) break;
    for (const pid of strays) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    reap(strays);
    total += strays.length;
  }
  return total;
}
