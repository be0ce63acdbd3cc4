// One unprivileged uid per grading running at the same time (a root grader
// only). The uid has no account: nothing on the host belongs to it but the
// grading's scratch folders, so it reads only what everyone may read and
// writes nowhere else; and every process it runs is found, and killed, by it.
//
// A uid is taken by creating /run/ipc-course/uids/<uid> exclusively, holding
// the grader's pid; a file whose grader is gone is taken over, after its
// leftover processes are killed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { listPids, readStat } from '../harness/proc-stat.ts';
import { reapOrphan } from '../../native/internal.ts';
import { childPids } from './processes.ts';

const LOCKS = '/run/ipc-course/uids';
/** Far above the range distributions give to accounts (1000-60000) and below nobody (65534). */
export const UID_BASE = Number(process.env.IPC_GRADER_UID_BASE || 61000);
const UID_COUNT = 256;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** uids that have an account in /etc/passwd: never ours to take. */
function accountUids(): Set<number> {
  try {
    return new Set(
      readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .map((line) => Number(line.split(':')[2]))
        .filter(Number.isInteger),
    );
  } catch {
    return new Set();
  }
}

function tryTake(uid: number): boolean {
  const lock = join(LOCKS, String(uid));
  try {
    const fd = openSync(lock, 'wx', 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = Number(readFileSync(lock, 'utf8'));
  if (owner > 0 && alive(owner)) return false;
  // Its grader died: end what it left running, then take it.
  killUid(uid);
  rmSync(lock, { force: true });
  return tryTake(uid);
}

/** Takes a free grading uid (its gid is the same number). */
export function takeGradingUid(): number {
  mkdirSync(LOCKS, { recursive: true, mode: 0o700 });
  const accounts = accountUids();
  for (let uid = UID_BASE; uid < UID_BASE + UID_COUNT; uid++)
    if (!accounts.has(uid) && tryTake(uid)) return uid;
  throw new Error(`no free grading uid in ${UID_BASE}-${UID_BASE + UID_COUNT - 1}`);
}

export function releaseGradingUid(uid: number): void {
  killUid(uid);
  rmSync(join(LOCKS, String(uid)), { force: true });
}

/** Processes whose real uid is `uid`, read from /proc: pid, parent pid and state. */
export function processesOf(uid: number): { pid: number; ppid: number; state: string }[] {
  const found: { pid: number; ppid: number; state: string }[] = [];
  for (const pid of listPids()) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const real = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      if (real !== uid) continue;
    } catch {
      continue; // gone meanwhile
    }
    const stat = readStat(pid);
    if (stat) found.push({ pid, ppid: stat.ppid, state: stat.state });
  }
  return found;
}

/**
 * Ends every process of `uid` and reaps the zombies re-parented to us. kill(-1)
 * run as the uid itself reaches all of its processes in one pass of the
 * kernel, so a fork loop cannot outrun it; repeated until /proc shows none,
 * zombies included: a zombie whose parent (a sandbox's init) is dying comes to
 * us, the subreaper, a moment later, and nothing would reap it after we return.
 */
export function killUid(uid: number): number {
  for (let round = 0; round < 20; round++) {
    const ours = new Set(childPids());
    const living: number[] = [];
    let zombies = 0;
    for (const p of processesOf(uid)) {
      if (p.state !== 'Z') living.push(p.pid);
      else if (ours.has(p.pid)) reapOrphan(p.pid);
      else zombies++; // its parent reaps it, or dies and hands it to us: look again
    }
    if (living.length === 0 && zombies === 0) return 0;
    if (living.length > 0)
      spawnSync(process.execPath, ['-e', 'process.kill(-1, "SIGKILL")'], {
        uid,
        gid: uid,
        stdio: 'ignore',
        env: { PATH: '/usr/bin:/bin' },
        timeout: 5_000,
      });
    // Killed processes turn into zombies a moment later; reap them next round.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 * (round + 1));
  }
  return processesOf(uid).filter((p) => p.state !== 'Z').length;
}
