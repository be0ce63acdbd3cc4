// HOSTILE: has no mutex of its own. It looks for the reference solution by
// every path a process can find (its working folder, walking up from its own
// file, /proc, the grader's processes, the grader's temporary copies, the
// repository behind node_modules) and re-exports it.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REFERENCE = 'solutions/04-mutex/mutex.ts';

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function candidateRoots(): string[] {
  const roots = [process.cwd(), '/proc/self/cwd'];
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== '/'; dir = dirname(dir))
    roots.push(dir);
  try {
    for (let pid = process.ppid; pid > 1; pid = parentOf(pid)) roots.push(`/proc/${pid}/cwd`);
  } catch {}
  try {
    for (const name of readdirSync(tmpdir())) roots.push(join(tmpdir(), name));
  } catch {}
  try {
    roots.push(dirname(realpathSync(join(process.cwd(), 'node_modules'))));
  } catch {}
  return roots;
}

const found = candidateRoots()
  .map((root) => join(root, REFERENCE))
  .find((path) => {
    try {
      return existsSync(path) && readFileSync(path, 'utf8').length > 0;
    } catch {
      return false;
    }
  });
if (!found) throw new Error('no reference solution reachable');
const reference = await import(found);
export const Mutex = reference.Mutex;
