// The one /proc/<pid>/stat parser: comm is chosen by the process (a submission
// can name itself anything up to 15 bytes), so spaces and parentheses in it
// must not shift the fields after it.
import { describe, expect, it } from 'vitest';
import { parseStat, readStat } from '../harness/proc-stat.ts';

/** A stat line as the kernel writes it, with fields 3 to 15 given and the rest zero. */
const line = (pid: number, comm: string, rest: string) =>
  `${pid} (${comm}) ${rest} 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n`;

describe('parseStat', () => {
  it('reads state, parent, group and CPU ticks of a plain line', () => {
    expect(parseStat(line(42, 'node', 'S 7 40 40 0 -1 4194560 10 0 0 0 123 45'))).toEqual({
      pid: 42,
      comm: 'node',
      state: 'S',
      ppid: 7,
      pgrp: 40,
      utime: 123,
      stime: 45,
    });
  });

  it('keeps spaces and parentheses inside comm out of the fields', () => {
    for (const comm of [') S 1 1 (', 'a b', '(x) (y)', ')))', 'Z 99 99']) {
      const stat = parseStat(line(9, comm, 'R 3 5 5 0 -1 0 0 0 0 0 7 8'));
      expect(stat, comm).toMatchObject({ pid: 9, comm, state: 'R', ppid: 3, pgrp: 5 });
      expect([stat?.utime, stat?.stime], comm).toEqual([7, 8]);
    }
  });

  it('refuses what is not a stat line', () => {
    expect(parseStat('')).toBeUndefined();
    expect(parseStat('12 node S 1 1')).toBeUndefined();
    expect(parseStat('12 (node) S')).toBeUndefined();
  });

  it("reads this process's own stat, and nothing for a pid that is gone", () => {
    expect(readStat(process.pid)).toMatchObject({ pid: process.pid, ppid: process.ppid });
    expect(readStat(process.pid, process.pid)).toMatchObject({ pid: process.pid });
    expect(readStat(2 ** 30)).toBeUndefined();
  });
});
