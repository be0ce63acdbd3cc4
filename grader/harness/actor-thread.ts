// Which kernel thread an actor runs on, as the trusted side sees it. The actor
// reports its thread id (gettid) when it starts; that number is untrusted, and
// may be local to a PID namespace. It is accepted only if it names a thread of
// the process tree the grader itself started for that actor (the worker host
// or the actor process, and their wrappers: prlimit, bwrap), matched by the
// thread's NSpid (its ids from the outermost PID namespace inward), and only
// the kind of thread the actor is: the main thread of an actor process, a
// thread other than the main one in a worker host.
import { readdirSync, readFileSync } from 'node:fs';
import { allStats } from './proc-stat.ts';

/** A thread as this process's /proc names it. */
export interface ProcThread {
  pid: number;
  tid: number;
}

/** `root` and every process below it, now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of allStats()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** The innermost id of a thread (what gettid returns inside its own PID namespace). */
function innermostId(pid: number, tid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
    const ids = /^NSpid:\s+(.+)$/m.exec(status)?.[1].trim().split(/\s+/).map(Number);
    return ids ? ids[ids.length - 1] : tid; // kernels before 4.1 have no NSpid: no namespaces either
  } catch {
    return undefined; // gone meanwhile
  }
}

function threadsOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [];
  }
}

/**
 * The thread `reported` names in the tree the grader started at `root`, or why
 * it is refused: not a positive integer, no such thread there, more than one
 * (ids from different namespaces), or the wrong kind of thread for the actor.
 */
export function locateThread(
  root: number,
  reported: unknown,
  kind: 'worker' | 'process',
): ProcThread | string {
  if (!Number.isSafeInteger(reported) || (reported as number) <= 0)
    return `it reported ${JSON.stringify(reported)?.slice(0, 40)} as its thread id`;
  const found: ProcThread[] = [];
  for (const pid of processTree(root))
    for (const tid of threadsOf(pid))
      if (innermostId(pid, tid) === reported) found.push({ pid, tid });
  const where = `the ${kind === 'worker' ? 'worker host' : 'actor process'} the grader started (pid ${root})`;
  if (found.length === 0) return `its reported thread ${reported} is no thread of ${where}`;
  if (found.length > 1) return `its reported thread ${reported} names several threads of ${where}`;
  const [thread] = found;
  if (kind === 'process' && thread.tid !== thread.pid)
    return `its reported thread ${reported} is not the main thread of its process`;
  if (kind === 'worker' && thread.tid === thread.pid)
    return `its reported thread ${reported} is the main thread of the worker host, not a worker`;
  return thread;
}
