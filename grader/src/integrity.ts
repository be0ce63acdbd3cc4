// What a grading run trusts (the exercise's hidden suite, the harness, the
// shim's TypeScript and binary, the exercise's reference solution) is run from
// a private copy, so a submission that rewrites files (running as the same
// user, it can) changes only that copy, which is compared with the originals
// afterwards. The originals are checked too, in case the submission went
// looking for them; nothing is ever written back, so a developer's edits made
// during a run are never undone.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { repoRoot } from './registry.ts';

/** The shim as a run loads it: every native/*.ts, the runtime loaders and the built addon. */
const NATIVE_RUNTIME = [
  ...readdirSync(join(repoRoot, 'native'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `native/${name}`),
  'native/runtime',
  'native/build/Release/ipc_shim.node',
];

/** The reference solution comes too: a hidden suite may measure a submission against it (10's throughput). */
export function trustedPaths(exerciseId: string): string[] {
  const reference = `solutions/${exerciseId}`;
  return [
    `grader/suites/${exerciseId}`,
    'grader/harness',
    ...NATIVE_RUNTIME,
    ...(existsSync(join(repoRoot, reference)) ? [reference] : []),
  ];
}

/** Copies the trusted files under `dir` (with node_modules linked), to serve as the run's root. */
export function copyTrusted(exerciseId: string, dir: string): void {
  for (const path of trustedPaths(exerciseId)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(repoRoot, path), join(dir, path), { recursive: true });
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

type Snapshot = Map<string, Buffer>;

function collect(root: string, path: string, into: Snapshot): void {
  const full = join(root, path);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const name of readdirSync(full)) collect(root, join(path, name), into);
  } else {
    into.set(path, readFileSync(full));
  }
}

export function snapshot(root: string, exerciseId: string): Snapshot {
  const files: Snapshot = new Map();
  for (const path of trustedPaths(exerciseId)) collect(root, path, files);
  return files;
}

/** Paths that differ between two snapshots (changed, added or removed). */
export function differences(before: Snapshot, after: Snapshot): string[] {
  const changed = [...before]
    .filter(([path, bytes]) => !after.get(path)?.equals(bytes))
    .map(([path]) => path);
  return [...changed, ...[...after.keys()].filter((path) => !before.has(path))];
}

export const repoRelative = (path: string) => relative(repoRoot, join(repoRoot, path));
