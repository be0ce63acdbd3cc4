// Staging: the copy of a submission that grading works on. Only regular files
// are copied, never followed links, devices, FIFOs or sockets, and the whole
// submission is measured (apparent sizes, so a sparse file counts at its full
// size) before a single byte is copied, so a 2 GB file is refused at once.
//
// A file is opened with O_NOFOLLOW and checked again on the open descriptor,
// so a file swapped for a link between the listing and the copy is refused too.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** Most bytes (apparent size) one submission may hold: the course's files are a few kB each. */
export const MAX_SUBMISSION_BYTES = 10 * 1024 * 1024;
/** Most files one submission may hold. */
export const MAX_SUBMISSION_FILES = 500;

/** Folders never copied (a learner's install); skipped by name, never entered. */
const SKIPPED = new Set(['node_modules']);

/** Why a submission, or one exercise of it, is not graded: said to the learner as is. */
export class Refusal extends Error {}

export interface PlannedFile {
  /** Path relative to the submission folder, with forward slashes: <exercise>/<...>. */
  path: string;
  bytes: number;
}

function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function refuseKind(path: string, kind: string): Refusal {
  return new Refusal(
    `${path} is ${kind}; the grader copies regular files only (submit the file itself)`,
  );
}

/** Every file under <root>/<path>, by lstat only (nothing is read or followed). */
export function planFolder(root: string, path: string): PlannedFile[] {
  const stats = lstatSync(join(root, path));
  if (stats.isFile()) return [{ path, bytes: stats.size }];
  if (!stats.isDirectory()) throw refuseKind(path, kindOf(stats));
  const files: PlannedFile[] = [];
  for (const name of readdirSync(join(root, path)).sort()) {
    if (SKIPPED.has(name)) continue;
    files.push(...planFolder(root, `${path}/${name}`));
    if (files.length > MAX_SUBMISSION_FILES) break; // the caller refuses; no need to list a million
  }
  return files;
}

/** Refuses a plan over the caps, naming the largest file so the learner knows what to remove. */
export function checkCaps(files: PlannedFile[]): void {
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  if (files.length > MAX_SUBMISSION_FILES)
    throw new Refusal(
      `the submission holds more than ${MAX_SUBMISSION_FILES} files; submit only the exercise files`,
    );
  if (total > MAX_SUBMISSION_BYTES) {
    const largest = files.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    throw new Refusal(
      `the submission holds ${mebibytes(total)} (more than the ${mebibytes(MAX_SUBMISSION_BYTES)} allowed, counting sparse files at their full size); the largest file is ${largest.path} (${mebibytes(largest.bytes)})`,
    );
  }
}

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Copies one planned file from root to into, refusing it if it is no longer the regular file planned. */
export function copyPlanned(root: string, file: PlannedFile, into: string): void {
  let fd: number;
  try {
    fd = openSync(
      join(root, file.path),
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw refuseKind(file.path, 'a symbolic link');
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw refuseKind(file.path, kindOf(stats));
    if (stats.size !== file.bytes)
      throw new Refusal(`${file.path} changed while the grader was copying it`);
    const bytes = Buffer.alloc(stats.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    const target = join(into, file.path);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, bytes.subarray(0, read), { mode: 0o644 });
  } finally {
    closeSync(fd);
  }
}
