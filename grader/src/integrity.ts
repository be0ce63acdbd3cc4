// The files a grading run trusts: the exercise's hidden suite, the harness, the
// runner and the shim's TypeScript. A submission runs as the same user and
// could rewrite them (to fake the next score); so they are read before each
// exercise and compared after it, and anything changed is put back and reported.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './registry.ts';

export type Snapshot = Map<string, Buffer>;

function collect(dir: string, into: Snapshot, skip: (path: string) => boolean): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (skip(path)) continue;
    if (statSync(path).isDirectory()) collect(path, into, skip);
    else into.set(path, readFileSync(path));
  }
}

export function snapshotTrusted(exerciseId: string): Snapshot {
  const snapshot: Snapshot = new Map();
  const skip = (path: string) => /node_modules|[\\/]build$|[\\/]reporters$|[\\/]corpus$/.test(path);
  for (const dir of [`grader/suites/${exerciseId}`, 'grader/harness', 'grader/src', 'native']) collect(join(repoRoot, dir), snapshot, skip);
  return snapshot;
}

/** Restores every trusted file that changed, appeared or vanished; returns their repo paths. */
export function restoreChanged(before: Snapshot, exerciseId: string): string[] {
  const after = snapshotTrusted(exerciseId);
  const changed: string[] = [];
  for (const [path, bytes] of before) {
    const now = after.get(path);
    if (!now || !now.equals(bytes)) {
      writeFileSync(path, bytes);
      changed.push(relative(repoRoot, path));
    }
  }
  for (const path of after.keys()) {
    if (!before.has(path)) {
      rmSync(path, { force: true });
      changed.push(relative(repoRoot, path));
    }
  }
  return changed;
}
