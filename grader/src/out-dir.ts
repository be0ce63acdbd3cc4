// Result files. They are written by the trusted side only, once every process
// of the grading has ended, and atomically: each goes to a fresh temporary file
// in the same folder (created exclusively, so a planted link is never followed)
// and is renamed over its name (a rename replaces a link, never writes through
// it). Every name the grader owns is cleared before grading starts and again
// when the results are written, so nothing a submission put in the folder,
// before or during its grading, can pass for a result file.
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formats } from './reporters/index.ts';

/** The file names the grader writes into an --out folder, whatever formats were asked for. */
export const OWNED_NAMES = Object.values(formats).map((f) => f.file);

const TEMPORARY = /^\.ipcc-.*\.tmp$/;

/** Writes `text` to dir/name through a temporary file and a rename. */
export function writeAtomically(dir: string, name: string, text: string): void {
  const temporary = join(dir, `.ipcc-${name}-${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temporary, text, { flag: 'wx', mode: 0o644 });
  try {
    renameSync(temporary, join(dir, name));
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The --out folder of one grading, as it was before grading: its identity is checked again before writing. */
export interface OutFolder {
  path: string;
  device: number;
  inode: number;
}

function identity(path: string): { device: number; inode: number } {
  const stats = lstatSync(path);
  if (!stats.isDirectory())
    throw new Error(
      `--out ${path} is not a folder (a link or a file); results are not written there`,
    );
  return { device: stats.dev, inode: stats.ino };
}

function clearOwned(out: OutFolder): void {
  for (const name of readdirSync(out.path))
    if (OWNED_NAMES.includes(name) || TEMPORARY.test(name))
      rmSync(join(out.path, name), { recursive: true, force: true });
}

/** Before grading: the folder exists, and no file in it has a result file's name. */
export function prepareOut(path: string): OutFolder {
  mkdirSync(path, { recursive: true });
  const out = { path, ...identity(path) };
  clearOwned(out);
  return out;
}

/** After grading: the same folder (not one swapped in meanwhile), cleared again, then each file written. */
export function writeOut(out: OutFolder, files: Map<string, string>): void {
  const now = identity(out.path);
  if (now.device !== out.device || now.inode !== out.inode)
    throw new Error(`--out ${out.path} was replaced during grading; results are not written there`);
  clearOwned(out);
  for (const [name, text] of files) writeAtomically(out.path, name, text);
}

/**
 * Replaces a folder the grader owns whole (a batch's per-submission reports):
 * the files go to a new folder beside it, which then takes its place, so no
 * file that was there before survives.
 */
export function replaceFolder(path: string, files: Map<string, string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const fresh = `${path}.ipcc-${randomBytes(6).toString('hex')}.tmp`;
  mkdirSync(fresh);
  for (const [name, text] of files) writeFileSync(join(fresh, name), text, { flag: 'wx' });
  rmSync(path, { recursive: true, force: true });
  renameSync(fresh, path);
}
