// Before a test run: unlink segments that earlier runs left in the segment
// folder (/dev/shm, or IPC_SHM_DIR) when they were killed (their owner pid is
// gone). Live runs' segments are left alone.
import { readdirSync, rmSync } from 'node:fs';
import { segmentFolder } from '@ipc-course/shim';
import { ownerPid } from './segment-names.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function sweepStaleSegments(dir = segmentFolder()): number {
  let removed = 0;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const pid = ownerPid(name);
    if (pid !== null && !alive(pid)) {
      rmSync(`${dir}/${name}`, { force: true });
      removed++;
    }
  }
  return removed;
}

export default function setup(): void {
  sweepStaleSegments();
}
