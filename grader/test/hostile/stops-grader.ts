// HOSTILE: stops (SIGSTOP, which cannot be caught or ignored) every process
// between it and the grade command, and the grade command itself, whose
// watchdog timer then never fires: the grading would never end.
import { readFileSync } from 'node:fs';
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

const chain = ancestors();
const grader = chain.findIndex(({ argv }) => argv.some((arg) => arg.endsWith('grader/cli.ts')));
for (const { pid } of grader < 0 ? [] : chain.slice(0, grader + 1)) {
  try {
    process.kill(pid, 'SIGSTOP');
  } catch {
    // refused: not ours to signal
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
