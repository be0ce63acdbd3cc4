// The line between a submission and the grader's side of the shim. A file of
// the submission (under IPC_SUBMISSION_DIR) may reach native/ only through the
// public entry, native/index.ts ('@ipc-course/shim'); any other file there
// (internal.ts, control.ts, the binding, ...) lets it steer or read the grader.
// Used by resolve-shim.mjs (worker threads and child processes) and by
// grader/harness/native-boundary.ts (the suite's own process, under vite).
// JavaScript, not TypeScript: the resolve hook loads it before tsx can.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The error code of a refused import: permission denied, as open(2) says it. */
export const REFUSED_IMPORT_CODE = 'EACCES';

function realPath(path) {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

const nativeDir = realPath(fileURLToPath(new URL('../', import.meta.url)));

/** A file path from a path or a file: URL; null for anything else (node:fs, data:, ...). */
function toPath(pathOrUrl) {
  if (typeof pathOrUrl !== 'string') return null;
  if (pathOrUrl.startsWith('file:')) return fileURLToPath(pathOrUrl);
  return pathOrUrl.startsWith('/') ? pathOrUrl : null;
}

function inside(path, dir) {
  return path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/**
 * The grader stages its trusted files (suite, harness, shim) beside the
 * submission, in <submission>/.trusted-<id>/: those are not the submission's.
 */
function trustedCopyPath(path, submissionDir) {
  const rest = relative(submissionDir, path);
  return /^\.trusted-[^/]+\//.test(rest) ? rest.slice(rest.indexOf('/') + 1) : null;
}

/**
 * The native/ folder of any copy of the course that holds `file` (this one, a
 * trusted copy, the repository the grader was started from): a folder with this
 * very boundary file in its runtime/. Null if `file` is in none.
 */
function courseNativeDirOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'runtime', 'native-boundary.mjs'))) return dir;
  }
  return null;
}

/** The path of `file` inside a native/ folder (this one, a trusted copy's, any course copy's), or null. */
function nativePath(file, submissionDir) {
  if (inside(file, nativeDir)) return relative(nativeDir, file);
  const copied = trustedCopyPath(file, submissionDir);
  if (copied?.startsWith('native/')) return copied.slice('native/'.length);
  const other = courseNativeDirOf(file);
  return other ? relative(other, file) : null;
}

/**
 * The message refusing an import of `target` by `importer`, or null when it is
 * allowed: the importer is not a submission file, or the target is not a file
 * of native/ other than its public entry.
 */
export function refusedNativeImport(importer, target, submissionDir) {
  const from = toPath(importer);
  const to = toPath(target);
  if (!submissionDir || !from || !to) return null;
  const dir = realPath(submissionDir);
  const source = realPath(from);
  if (!inside(source, dir) || trustedCopyPath(source, dir) !== null) return null;
  const file = realPath(to.split('?')[0]);
  const inNative = nativePath(file, dir);
  if (inNative === null || inNative === 'index.ts') return null;
  return `${from} imports ${file}, a file of the grader's side of the shim: a submission imports '@ipc-course/shim' only`;
}

/** The Error a refused import throws, with its stable code. */
export function refusedImportError(message) {
  return Object.assign(new Error(message), { code: REFUSED_IMPORT_CODE });
}
