// HOSTILE: reads the hidden suite (through its working folder, the grader's
// processes' folders, the grader's temporary copies) and throws it as its
// error message, so the feedback a student reads holds the hidden tests.
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

const SUITE = 'grader/suites/04-mutex/mutex.test.ts';
const roots = [process.cwd(), ...ancestors().map(({ pid }) => `/proc/${pid}/cwd`)];
try {
  for (const name of readdirSync(tmpdir())) roots.push(join(tmpdir(), name));
} catch {}
let leaked = 'nothing readable';
for (const root of roots) {
  try {
    leaked = readFileSync(join(root, SUITE), 'utf8');
    break;
  } catch {}
}
throw new Error(`the hidden suite:\n${leaked}`);
