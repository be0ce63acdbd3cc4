// Ending everything a submission started. Each sandbox is a process group, and
// one kill ends the group; a process that escaped it (setsid, detached) is
// re-parented to us once its parent dies, because the grader is a subreaper
// (native becomeSubreaper), and is found here by its parent pid.
import { readdirSync, readFileSync } from 'node:fs';
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
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) children.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** Kills orphans re-parented to this process and reaps them (no zombie stays); returns how many. */
export function killStrays(keep: Set<number>): number {
  // Our children that are not sandboxes still running: orphans of finished runs.
  const strays = childPids().filter((pid) => !keep.has(pid));
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  // SIGKILL takes effect a moment later; wait a little for each to become reapable.
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (const pid of strays)
    for (let tries = 0; tries < 50 && !reapOrphan(pid); tries++) Atomics.wait(pause, 0, 0, 2);
  return strays.length;
}
