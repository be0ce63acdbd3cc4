// Hostile submissions, one per attack class: each gets the score it deserves
// with a reason a learner or an instructor understands, the grader finishes
// within its bounds, and afterwards no process, zombie, segment or file the
// submission made remains, and the course tree is byte-identical.
//
// Some classes are stopped only by a confinement layer (a uid of its own,
// namespaces). Unconfined, their attack would work on the machine running the
// tests (rewrite the repository, fill /tmp, reach the network), so each runs
// only where a layer that stops it is in force (runsWith). The grade command's
// own classes (--out, SIGSTOP, --batch) are in hostile-cli.test.ts.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, type ExpectStatic, it } from 'vitest';
import { escapeRegExp } from '../src/corpus.ts';
import { gradeSubmission } from '../src/grade.ts';
import { loadPoints, repoRoot } from '../src/registry.ts';
import type { ExerciseReport, GradeReport } from '../src/report.ts';
import {
  type CourseState,
  courseChanges,
  courseState,
  fillFiles,
  hostileProcesses,
  type Layer,
  layersInForce,
  orphanedSegments,
  ownZombies,
  removeLeftovers,
} from './hostile/course-state.ts';
import { checkEveryFormat } from './hostile/formats-hold.ts';

const ID = '04-mutex';
const CONTRACT = 'follows the contract on one thread: init, tryLock, unlock, EPERM';
const EXCLUSION = 'never lets two holders in at once (4 workers + 2 processes)';
const WAKEUP = 'wakes a blocked waiter when the holder unlocks (no lost wakeup)';
const CPU = 'sleeps in the futex while blocked (no CPU burnt)';
const POINTS = loadPoints(ID);
const layers = layersInForce();
const confined = layers.includes('uid') || layers.includes('namespaces');

interface Context {
  report: ExerciseReport;
  whole: GradeReport;
  expect: ExpectStatic;
  layers: Layer[];
}

interface Case {
  /** The entry in hostile/, copied as the submission's mutex.ts. */
  file?: string;
  /** Or: lays out the submission's 04-mutex/ folder itself (links, sparse files). */
  setup?: (exerciseDir: string) => void;
  /** Limit the run to these tests (to keep npm test short); all when absent. */
  only?: string[];
  /**
   * Wall time the whole grading may take: the grader's own limits (a test's
   * timeout plus grace, the import limit) plus starting its processes, with
   * room for a machine busy with the rest of npm test.
   */
  withinMs: number;
  /** Run only where one of these layers is in force (unconfined, the attack would do real harm). */
  runsWith?: Layer[];
  /**
   * Known to get through today, and why: the case is then expected to fail
   * (it.fails), so the day it is stopped, the test says so and this goes.
   */
  knownOpen?: string;
  expect(context: Context): void | Promise<void>;
}

const status = (r: ExerciseReport, name: string) => r.tests.find((t) => t.name === name);
/** Everything a learner reads about an exercise, in one string. */
const allText = (r: ExerciseReport) =>
  [r.error ?? '', ...(r.ignored ?? []), ...r.tests.map((t) => `${t.name} ${t.message}`)].join('\n');

/** The port the network entry tries to reach outside its grading, and whether anything arrived. */
let outside = { port: 0, reached: false };

const cases: Record<string, Case> = {
  // The eleven a grader must survive whatever the layers: hangs, crashes, lies.
  'loop-at-import.ts': {
    only: [CONTRACT],
    withinMs: 60_000,
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
      // The submission loads in an untrusted process, on the test's first use of it.
      expect(status(r, CONTRACT)).toMatchObject({ status: 'timeout', score: 0 });
      expect(allText(r)).toMatch(/loading the submission never finished|never returned/);
    },
  },
  'loop-in-method.ts': {
    only: [CONTRACT, WAKEUP],
    withinMs: 75_000,
    expect: ({ report: r, expect }) => {
      expect(status(r, CONTRACT)).toMatchObject({ status: 'timeout', score: 0 });
      expect(status(r, CONTRACT)!.message).toMatch(/never returned/);
      expect(
        status(r, WAKEUP),
        `the test after the hang still runs, and its points count: ${status(r, WAKEUP)?.message}`,
      ).toMatchObject({ status: 'passed', score: 3 });
    },
  },
  'deadlock.ts': {
    only: [CONTRACT],
    withinMs: 60_000,
    expect: ({ report: r, expect }) => {
      expect(status(r, CONTRACT)).toMatchObject({ status: 'timeout', score: 0 });
    },
  },
  'exits-in-method.ts': {
    only: [CONTRACT],
    withinMs: 45_000,
    expect: ({ report: r, expect }) => {
      expect(status(r, CONTRACT)).toMatchObject({ status: 'failed', score: 0 });
      expect(status(r, CONTRACT)!.message).toMatch(/process\.exit|the submission's process exited/);
    },
  },
  'throws-at-import.ts': {
    only: [CONTRACT],
    withinMs: 45_000,
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
      expect(allText(r)).toMatch(/refuses to load/);
    },
  },
  'syntax-error.ts': {
    only: [CONTRACT],
    withinMs: 45_000,
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
      expect(allText(r)).toMatch(/Expected|Unexpected|syntax/i);
    },
  },
  'out-of-memory.ts': {
    only: [CONTRACT],
    withinMs: 60_000,
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
      // Loaded in the untrusted object host, a submission that allocates at import
      // ends on V8's heap limit or the test's own limit (the host is not under the memory watch).
      expect(status(r, CONTRACT)!.message).toMatch(
        /JavaScript heap|MiB of memory|never returned|the submission's process exited/,
      );
    },
  },
  'out-of-memory-buffers.ts': {
    only: [CONTRACT],
    withinMs: 60_000,
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
      expect(status(r, CONTRACT)!.message).toMatch(
        /more than 2048 MiB of memory|over the limit of 2048 MiB|never returned|the submission's process exited/,
      );
    },
  },
  'fake-pass-output.ts': {
    only: [CONTRACT, EXCLUSION],
    withinMs: 60_000,
    expect: ({ report: r, expect }) => {
      expect(status(r, EXCLUSION)).toMatchObject({ status: 'failed', score: 0 });
    },
  },

  // The attack classes of issue 12, one entry each (README, "What each layer stops").
  'imports-reference.ts': {
    only: [CONTRACT],
    withinMs: 45_000,
    runsWith: ['uid', 'namespaces'],
    expect: ({ report: r, expect }) => {
      expect(r.score, 'the reference solution is out of reach').toBe(0);
      expect(allText(r)).toMatch(/no reference solution reachable/);
    },
  },
  'symlink to the reference': {
    setup: (dir) => symlinkSync(join(repoRoot, 'solutions', ID, 'mutex.ts'), join(dir, 'mutex.ts')),
    withinMs: 10_000,
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
      expect(r.error).toMatch(
        /04-mutex\/mutex\.ts is a symbolic link; the grader copies regular files only/,
      );
    },
  },
  'vitest-hooks.ts': {
    only: [EXCLUSION],
    withinMs: 60_000,
    runsWith: ['realms'],
    expect: ({ report: r, expect }) => {
      expect(status(r, EXCLUSION), 'no hook can turn a failure into a pass').toMatchObject({
        score: 0,
      });
    },
  },
  'patches-builtins.ts': {
    only: [CPU],
    withinMs: 60_000,
    runsWith: ['realms'],
    expect: ({ report: r, expect }) => {
      // The grader reads the waiter thread's CPU time from /proc itself; the
      // patched split only lives in the untrusted worker host.
      expect(
        status(r, CPU),
        'a patched String.prototype.split cannot hide the CPU burnt',
      ).toMatchObject({ status: 'failed', score: 0 });
      expect(status(r, CPU)!.message).toMatch(
        /(CPU|time) the waiter (used|was running or ready to run) while blocked .*read by the grader from \/proc\/\d+\/task\/\d+\/schedstat/,
      );
    },
  },
  'registers-extra-tests.ts': {
    only: [CONTRACT, EXCLUSION],
    withinMs: 60_000,
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
      expect(status(r, EXCLUSION), 'a second, passing report of a test does not win').toMatchObject(
        { status: 'failed', score: 0 },
      );
      expect(r.tests.map((t) => t.name).sort(), 'only points.json names are scored').toEqual(
        Object.keys(POINTS).sort(),
      );
      expect(r.maxScore).toBe(Object.values(POINTS).reduce((a, b) => a + b, 0));
      // Inside the test runner the extra tests ran: they are named, and score nothing.
      for (const name of r.ignored ?? []) expect(name).toMatch(/^bonus \d/);
    },
  },
  'leaves-children.ts': {
    only: [CONTRACT],
    withinMs: 45_000,
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
      expect(hostileProcesses(), 'processes the submission started are gone').toEqual([]);
    },
  },
  'rewrites-grader.ts': {
    only: [CONTRACT],
    withinMs: 45_000,
    runsWith: ['uid', 'namespaces'],
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
    },
  },
  'prints-hidden-files.ts': {
    only: [CONTRACT],
    withinMs: 45_000,
    runsWith: ['uid', 'namespaces'],
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
      expect(allText(r), 'no line of the hidden suite reaches the feedback').not.toMatch(
        /seeded\(ID, async/,
      );
    },
  },
  'reads-secrets.ts': {
    only: [CONTRACT],
    withinMs: 45_000,
    runsWith: ['uid', 'namespaces'],
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
      expect(allText(r), "the grader's environment stays out of reach").not.toMatch(
        /IPC_HOSTILE_CANARY_TOKEN=/,
      );
    },
  },
  'fills-tmp-and-shm.ts': {
    only: [CONTRACT],
    withinMs: 60_000,
    runsWith: ['uid', 'namespaces'],
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
      expect(fillFiles(), 'what it wrote to /tmp and /dev/shm is gone').toEqual([]);
    },
  },
  'a 2 GB sparse file': {
    setup: (dir) => {
      copyFileSync(join(repoRoot, 'solutions', ID, 'mutex.ts'), join(dir, 'mutex.ts'));
      writeFileSync(join(dir, 'data.bin'), '');
      truncateSync(join(dir, 'data.bin'), 2 * 1024 ** 3);
    },
    withinMs: 5_000,
    expect: ({ report: r, expect }) => {
      expect(r.score, 'refused whole, although its mutex.ts is correct').toBe(0);
      expect(r.error).toMatch(/holds 2048\.0 MiB.*04-mutex\/data\.bin \(2048\.0 MiB\)/);
    },
  },
  'network.ts': {
    only: [CONTRACT],
    withinMs: 45_000,
    runsWith: ['namespaces'],
    expect: ({ report: r, expect }) => {
      expect(r.score).toBe(0);
      expect(outside.reached, 'nothing reached a port outside the grading').toBe(false);
    },
  },
  'injection.ts': {
    only: [CONTRACT],
    withinMs: 45_000,
    expect: ({ report: r, whole, expect }) => {
      expect(r.score).toBe(0);
      expect(allText(r), 'the hostile strings did reach the report').toMatch(/HYPERLINK/);
      checkEveryFormat(whole, expect);
    },
  },
  'zombies-and-segments.ts': {
    only: [CONTRACT],
    withinMs: 45_000,
    expect: ({ report: r, expect, layers }) => {
      expect(r.score).toBe(0);
      expect(ownZombies(), 'every process the grading adopted was reaped').toEqual([]);
      expect(hostileProcesses()).toEqual([]);
      if (layers.includes('uid') || layers.includes('namespaces'))
        expect(orphanedSegments(), 'its segments are gone with its grading').toEqual([]);
    },
  },
};

describe('hostile submissions', () => {
  let before: CourseState;
  const server = createServer((socket) => {
    outside.reached = true;
    socket.destroy();
  });

  beforeAll(async () => {
    before = courseState();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    outside = { port: typeof address === 'object' && address ? address.port : 0, reached: false };
  });

  // After all of them (they run three at a time, so one's sweep may not have run yet during another's check).
  afterAll(() => {
    server.close();
    try {
      expect(ownZombies(), 'zombies left to the grader').toEqual([]);
      expect(hostileProcesses(), 'processes left by any hostile grading').toEqual([]);
      if (confined) {
        expect(orphanedSegments(), 'segments left by any hostile grading').toEqual([]);
        expect(fillFiles(), 'files left in /tmp and /dev/shm').toEqual([]);
      }
      expect(courseChanges(before, courseState()), 'the course tree is byte-identical').toEqual([]);
    } finally {
      removeLeftovers();
    }
  });

  for (const [name, c] of Object.entries(cases)) {
    const runs = !c.runsWith || c.runsWith.some((layer) => layers.includes(layer));
    const test = (c.knownOpen ? it.fails : it) as typeof it;
    test.skipIf(!runs).concurrent(
      `${name}: scored for what it is, and the grader finishes`,
      {
        timeout: c.withinMs + 60_000,
      },
      async ({ expect }) => {
        const dir = mkdtempSync(join(tmpdir(), 'ipcc-hostile-'));
        const exerciseDir = join(dir, ID);
        mkdirSync(exerciseDir);
        const file = c.file ?? (name.endsWith('.ts') ? name : undefined);
        if (file) {
          const source = readFileSync(new URL(`./hostile/${file}`, import.meta.url), 'utf8');
          writeFileSync(
            join(exerciseDir, 'mutex.ts'),
            source.replace('__PORT__', String(outside.port)),
          );
        }
        c.setup?.(exerciseDir);
        const canary = 'IPC_HOSTILE_CANARY_TOKEN';
        process.env[canary] = 'a-secret-the-submission-must-not-read';
        const started = performance.now();
        try {
          const whole = await gradeSubmission(dir, {
            exercises: [ID],
            testNamePattern: c.only ? `(${c.only.map(escapeRegExp).join('|')})$` : undefined,
          });
          expect(performance.now() - started, 'grading time (ms)').toBeLessThan(c.withinMs);
          await c.expect({ report: whole.exercises[0], whole, expect, layers });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  }
});
