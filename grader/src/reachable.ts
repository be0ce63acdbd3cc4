// Whether a uid with no account (so in no group but its own) could read a
// path, from the permission bits of the path and every folder above it. Used
// by --sandbox strict without namespaces: the grading uid must not reach the
// reference solutions, and a world-readable course tree lets it.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';

function allows(path: string, uid: number, gid: number, bit: number): boolean {
  const { mode, uid: owner, gid: group } = statSync(path);
  const shift = owner === uid ? 6 : group === gid ? 3 : 0;
  return ((mode >> shift) & bit) !== 0;
}

export function readableBy(path: string, uid: number, gid: number): boolean {
  try {
    if (!allows(path, uid, gid, 4)) return false;
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      if (!allows(dir, uid, gid, 1)) return false;
      if (dir === '/') return true;
    }
  } catch {
    return false;
  }
}
