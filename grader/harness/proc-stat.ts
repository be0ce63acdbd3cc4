// The one reader of /proc/<pid>/stat (and /proc/<pid>/task/<tid>/stat): every
// trusted module that needs a process's state, parent, group or CPU ticks
// parses it here. The line is "pid (comm) state ppid pgrp ...", and comm is
// whatever the process named itself: up to 15 bytes that may hold spaces and
// parentheses, so the fields after it start after the LAST ')'.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  /** R, S, D, Z, T, t, X, ... (proc(5)). */
  state: string;
  ppid: number;
  pgrp: number;
  /** CPU time in user and kernel mode, in clock ticks (proc(5) fields 14 and 15). */
  utime: number;
  stime: number;
}

/** The fields of a stat line, or undefined if it is not one. */
export function parseStat(line: string): ProcStat | undefined {
  const open = line.indexOf(' (');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // Fields 3 onward; rest[0] is field 3 (state).
  const rest = line
    .slice(close + 2)
    .trim()
    .split(/ +/);
  const pid = Number(line.slice(0, open));
  const [ppid, pgrp, utime, stime] = [rest[1], rest[2], rest[11], rest[12]].map(Number);
  if (!Number.isInteger(pid) || !rest[0] || ![ppid, pgrp, utime, stime].every(Number.isInteger))
    return undefined;
  return { pid, comm: line.slice(open + 2, close), state: rest[0], ppid, pgrp, utime, stime };
}

/** The stat of a process (or, with `tid`, of one of its threads); undefined once it is gone. */
export function readStat(pid: number, tid?: number): ProcStat | undefined {
  try {
    const path = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
    return parseStat(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The pids /proc lists now (processes only; threads are under each one's task/). */
export function listPids(): number[] {
  return readdirSync('/proc')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** The stat of every process /proc lists now (those that end meanwhile are left out). */
export function allStats(): ProcStat[] {
  return listPids().flatMap((pid) => readStat(pid) ?? []);
}
