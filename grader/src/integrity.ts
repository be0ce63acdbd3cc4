// What a grading trusts is everything its trusted side executes or reads as
// truth: every hidden suite with its points, grader/src, grader/harness, the
// shim (TypeScript, runtime loaders, built addon), the reference solutions (a
// suite may measure a submission against one) and the course list. Each
// exercise's suite runs from a fresh private copy of all of it, so a submission
// that rewrites files changes only that copy. The copy and the repository are
// compared with a snapshot taken before the grading's first exercise: a
// tripwire, since a process running as the grader's own user could write them.
// Nothing is ever written back, so a developer's edits are never undone.
//
// node_modules (vitest, tsx, esbuild) is too big to copy or to read on every
// exercise, so it is linked, and watched by inode status: size, modification
// and status-change times. A write changes the status-change time, and no
// process without root can set it back.
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './registry.ts';

/** The shim as a run loads it: every native/*.ts, the runtime loaders and the built addon. */
function nativeRuntime(root: string): string[] {
  return [
    ...readdirSync(join(root, 'native'))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `native/${name}`),
    'native/runtime',
    'native/build/Release/ipc_shim.node',
  ];
}

/** Every path the trusted side runs or believes, relative to the repository. */
export function trustedPaths(root = repoRoot): string[] {
  return [
    'exercises/course.json',
    'grader/suites',
    'grader/src',
    'grader/harness',
    ...nativeRuntime(root),
    'solutions',
  ].filter((path) => existsSync(join(root, path)));
}

/** Caches vitest and vite write into node_modules while they run (.vite, .vite-temp, ...): not code, not watched. */
const CACHES = /^node_modules\/\.(vite[^/]*|vitest|cache|tmp)(\/|$)/;

/** Copies the trusted files under `dir` (with node_modules linked), to serve as one run's root. */
export function copyTrusted(dir: string): void {
  for (const path of trustedPaths()) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(repoRoot, path), join(dir, path), { recursive: true });
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

/** Path -> the file's bytes (trusted files) or its inode status (node_modules). */
export type Snapshot = Map<string, Buffer | string>;

function collect(root: string, path: string, into: Snapshot): void {
  const stats = lstatSync(join(root, path), { throwIfNoEntry: false });
  if (!stats) return;
  if (stats.isDirectory()) {
    for (const name of readdirSync(join(root, path))) collect(root, join(path, name), into);
  } else {
    into.set(path, readFileSync(join(root, path)));
  }
}

function collectStatus(root: string, path: string, into: Snapshot): void {
  if (CACHES.test(path)) return;
  const stats = lstatSync(join(root, path), { bigint: true, throwIfNoEntry: false });
  if (!stats) return;
  if (stats.isDirectory()) {
    for (const name of readdirSync(join(root, path))) collectStatus(root, join(path, name), into);
  } else {
    into.set(path, `${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}:${stats.mode}`);
  }
}

/**
 * The trusted files under `root` (a copy or the repository), and the status
 * of node_modules under `modulesRoot` (null: left out, as for a copy, which
 * links to the repository's).
 */
export function snapshot(root: string, modulesRoot: string | null = repoRoot): Snapshot {
  const files: Snapshot = new Map();
  for (const path of trustedPaths(root)) collect(root, path, files);
  if (modulesRoot) collectStatus(modulesRoot, 'node_modules', files);
  return files;
}

/** A snapshot without node_modules: what a copy is compared with. */
export function withoutModules(full: Snapshot): Snapshot {
  return new Map([...full].filter(([path]) => !path.startsWith('node_modules/')));
}

const same = (a: Buffer | string, b: Buffer | string | undefined) =>
  typeof a === 'string' ? a === b : b instanceof Buffer && a.equals(b);

/** Paths that differ between two snapshots (changed, added or removed). */
export function differences(before: Snapshot, after: Snapshot): string[] {
  const changed = [...before].filter(([path, bytes]) => !same(bytes, after.get(path)));
  return [
    ...changed.map(([path]) => path),
    ...[...after.keys()].filter((path) => !before.has(path)),
  ];
}
