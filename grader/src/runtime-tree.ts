// The untrusted runtime tree: the files an untrusted process of one grading
// may read, and nothing else. The shim (native/*.ts, its runtime loaders, the
// built addon), grader/harness (it holds no secrets), the exercise's
// actor-side modules (grader/suites/<id>/*.ts but never *.test.ts, points or
// hints) and the packages tsx needs to load TypeScript. Never solutions/, the
// hidden tests, the corpus, grader/src or the repository itself: an untrusted
// uid cannot reach the trusted copy, and in namespaces nothing else is mounted.
import {
  cpSync,
  chmodSync,
  mkdirSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './registry.ts';

/** What tsx needs at run time: itself and esbuild's binary (its package and the platform one). */
const TSX_PACKAGES = ['tsx', 'esbuild', '@esbuild'];

/**
 * Copies the packages into `dir`/node_modules, read-only for the grading uid:
 * the repository's node_modules may sit in a folder that uid cannot enter.
 */
export function copyPackages(dir: string): void {
  for (const name of TSX_PACKAGES)
    cpSync(join(repoRoot, 'node_modules', name), join(dir, 'node_modules', name), {
      recursive: true,
      dereference: true,
    });
  openForReading(dir);
}

/** The actor-side modules of a suite folder: its .ts files, but not the tests. */
function isActorSide(name: string): boolean {
  return name.endsWith('.ts') && !name.endsWith('.test.ts');
}

function copyActorSide(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyActorSide(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile() && isActorSide(entry.name))
      cpSync(join(from, entry.name), join(to, entry.name));
  }
}

/**
 * Builds the tree at `dir` from the grading's trusted copy (`trustedRoot`, laid
 * out as the repository), readable by everyone and writable by no one but root.
 */
export function buildRuntimeTree(
  trustedRoot: string,
  exerciseId: string,
  dir: string,
  packages: string,
): void {
  mkdirSync(join(dir, 'native', 'build', 'Release'), { recursive: true });
  for (const name of readdirSync(join(trustedRoot, 'native')))
    if (name.endsWith('.ts')) cpSync(join(trustedRoot, 'native', name), join(dir, 'native', name));
  cpSync(join(trustedRoot, 'native', 'runtime'), join(dir, 'native', 'runtime'), {
    recursive: true,
  });
  const addon = 'native/build/Release/ipc_shim.node';
  cpSync(join(trustedRoot, addon), join(dir, addon));
  cpSync(join(trustedRoot, 'grader', 'harness'), join(dir, 'grader', 'harness'), {
    recursive: true,
  });
  copyActorSide(
    join(trustedRoot, 'grader', 'suites', exerciseId),
    join(dir, 'grader', 'suites', exerciseId),
  );
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(packages, 'node_modules'), join(dir, 'node_modules'), 'dir');
  openForReading(dir);
}

/** Folders 0755, files 0644 (the addon 0755): readable by the grading's uid, writable only by root. */
function openForReading(path: string): void {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      chmodSync(full, 0o755);
      openForReading(full);
    } else chmodSync(full, statSync(full).mode & 0o111 ? 0o755 : 0o644);
  }
  chmodSync(path, 0o755);
}
