// Hostile submissions: each gets the score it deserves with a reason a learner
// understands, and the grader finishes within its bounds, leaving no process
// and no shared-memory segment behind.
import { mkdirSync, mkdtempSync, copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, type ExpectStatic } from 'vitest';
import { escapeRegExp } from '../src/corpus.ts';
import { gradeSubmission } from '../src/grade.ts';
import type { ExerciseReport } from '../src/report.ts';
import { ownerPid } from '../harness/segment-names.ts';

const ID = '04-mutex';
const CONTRACT = 'follows the contract on one thread: init, tryLock, unlock, EPERM';
const EXCLUSION = 'never lets two holders in at once (4 workers + 2 processes)';
const ASYNC = 'lockAsync waits without blocking the event loop';
const WAKEUP = 'wakes a blocked waiter when the holder unlocks (no lost wakeup)';

interface Case {
  file: string;
  /** Limit the run to these tests (to keep npm test short); all when absent. */
  only?: string[];
  /** Wall time the whole grading may take. */
  withinMs: number;
  expect(report: ExerciseReport, expect: ExpectStatic): void;
}

const status = (report: ExerciseReport, name: string) => report.tests.find((t) => t.name === name);

const cases: Case[] = [
  {
    file: 'loop-at-import.ts',
    only: [CONTRACT],
    withinMs: 40_000,
    expect: (r, expect) => {
      expect(r.score).toBe(0);
      expect(`${r.error ?? ''} ${r.tests.map((t) => t.message).join(' ')}`).toMatch(
        /loading 04-mutex\/mutex\.ts never returned/,
      );
    },
  },
  {
    file: 'loop-in-method.ts',
    only: [CONTRACT, WAKEUP],
    withinMs: 45_000,
    expect: (r, expect) => {
      expect(status(r, CONTRACT)).toMatchObject({ status: 'timeout', score: 0 });
      expect(status(r, CONTRACT)!.message).toMatch(/never returned/);
      expect(
        status(r, WAKEUP),
        'the test after the hang still runs, and its points count',
      ).toMatchObject({ status: 'passed', score: 3 });
    },
  },
  {
    file: 'deadlock.ts',
    only: [CONTRACT],
    withinMs: 40_000,
    expect: (r, expect) => {
      expect(status(r, CONTRACT)).toMatchObject({ status: 'timeout', score: 0 });
    },
  },
  {
    file: 'exits-in-method.ts',
    only: [CONTRACT],
    withinMs: 30_000,
    expect: (r, expect) => {
      expect(status(r, CONTRACT)).toMatchObject({ status: 'failed', score: 0 });
      // It runs in the object host: its exit ends that process, not the grader.
      expect(status(r, CONTRACT)!.message).toMatch(/process\.exit|the submission's process exited/);
    },
  },
  {
    file: 'throws-at-import.ts',
    only: [CONTRACT],
    withinMs: 30_000,
    expect: (r, expect) => {
      expect(r.score).toBe(0);
      expect(`${r.error} ${r.tests.map((t) => t.message).join(' ')}`).toMatch(/refuses to load/);
    },
  },
  {
    file: 'syntax-error.ts',
    only: [CONTRACT],
    withinMs: 30_000,
    expect: (r, expect) => {
      expect(r.score).toBe(0);
      expect(`${r.error} ${r.tests.map((t) => t.message).join(' ')}`).toMatch(
        /Expected|Unexpected|syntax/i,
      );
    },
  },
  {
    file: 'leaves-children.ts',
    only: [CONTRACT],
    withinMs: 30_000,
    expect: (r, expect) => {
      expect(r.score).toBe(0);
      const sleepers = readdirSync('/proc')
        .filter((pid) => /^\d+$/.test(pid))
        .filter((pid) => {
          try {
            return /sleep\x00360[12]/.test(readFileSync(`/proc/${pid}/cmdline`, 'latin1'));
          } catch {
            return false;
          }
        });
      expect(sleepers, 'processes the submission started are gone').toEqual([]);
    },
  },
  {
    file: 'out-of-memory.ts',
    only: [CONTRACT],
    withinMs: 60_000,
    expect: (r, expect) => {
      expect(r.score).toBe(0);
      // Loaded in the object host, an allocation at import is ended by the test's own limit.
      expect(status(r, CONTRACT)!.message).toMatch(/JavaScript heap|MiB of memory|never returned/);
    },
  },
  {
    file: 'out-of-memory-buffers.ts',
    only: [CONTRACT],
    withinMs: 60_000,
    expect: (r, expect) => {
      expect(r.score).toBe(0);
      expect(status(r, CONTRACT)!.message).toMatch(
        /more than 2048 MiB of memory|over the limit of 2048 MiB/,
      );
    },
  },
  {
    file: 'fake-pass-output.ts',
    only: [CONTRACT, EXCLUSION],
    withinMs: 60_000,
    expect: (r, expect) => {
      expect(status(r, EXCLUSION)).toMatchObject({ status: 'failed', score: 0 });
    },
  },
  {
    file: 'rewrites-grader.ts',
    only: [CONTRACT],
    withinMs: 30_000,
    expect: (r, expect) => {
      expect(r.score).toBe(0);
      expect(
        readFileSync(new URL('../suites/04-mutex/points.json', import.meta.url), 'utf8').endsWith(
          '   ',
        ),
        'the repository copy is untouched',
      ).toBe(false);
    },
  },
  {
    file: 'patches-builtins.ts',
    only: [CONTRACT, ASYNC],
    withinMs: 40_000,
    expect: (r, expect) => {
      // Its patches stay in its own process; the reference it reaches for through
      // node_modules is outside what a confined process can open.
      expect(r.score).toBe(0);
    },
  },
];

/** Segments whose creator has exited: leaked, unless the grader swept them. */
function orphanedSegments(): string[] {
  return readdirSync('/dev/shm').filter((name) => {
    const pid = ownerPid(name);
    if (pid === null) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
}

describe('hostile submissions', () => {
  // After all of them (they run two at a time, so one's sweep may not have run yet during another's check).
  afterAll(() => {
    expect(orphanedSegments(), 'shared-memory segments left behind by any hostile grading').toEqual(
      [],
    );
  });

  for (const c of cases) {
    it.concurrent(`${c.file}: scored for what it is, and the grader finishes`, {
      timeout: c.withinMs + 60_000,
    }, async ({ expect }) => {
      const dir = mkdtempSync(join(tmpdir(), 'ipcc-hostile-'));
      mkdirSync(join(dir, ID));
      copyFileSync(new URL(`./hostile/${c.file}`, import.meta.url), join(dir, ID, 'mutex.ts'));
      const started = performance.now();
      try {
        const report = await gradeSubmission(dir, {
          exercises: [ID],
          testNamePattern: c.only ? `(${c.only.map(escapeRegExp).join('|')})$` : undefined,
        });
        expect(performance.now() - started, 'grading time (ms)').toBeLessThan(c.withinMs);
        c.expect(report.exercises[0], expect);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
