// The assignment's hash: sha256 of the file and of every file of its
// exercises' hidden suites, so the same hash means the same tests and points.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { hiddenSuiteDir, repoRoot } from '../registry.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The file and the hidden suites it grades with: the same hash, the same tests and points. */
export function assignmentHash(text: string, ids: string[]): string {
  const hash = createHash('sha256').update(text);
  for (const id of [...ids].sort()) {
    const dir = hiddenSuiteDir(id);
    if (!existsSync(dir)) continue;
    for (const file of filesUnder(dir))
      hash.update(`\0${relative(repoRoot, file)}\0`).update(readFileSync(file));
  }
  return hash.digest('hex');
}
