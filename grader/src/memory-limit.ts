// The memory limit of one grading, kept by the best mechanism this machine
// offers, so that a submission that allocates without end fails alone, with a
// reason, instead of starving the machine:
//
// 1. a cgroup of its own (cgroup.ts): the kernel bounds the resident memory and
//    the task count of every process the grading starts, even one that left
//    the process group, and says when it killed one for memory;
// 2. otherwise a watchdog on the process group's resident memory (rss-watchdog.ts).
//
// Both count resident memory, never address space: Node 24's V8 reserves more
// virtual memory per worker thread than a 4 GiB `ulimit -d` allowed, and died
// with "Failed to reserve virtual memory for CodeRange" in correct submissions.
// V8's own heap bound (--max-old-space-size, here and in run-vitest.ts) still
// ends a runaway JS heap first, with V8's "JavaScript heap out of memory".
import { type Cgroup, createCgroup } from './cgroup.ts';
import { watchGroupMemory } from './rss-watchdog.ts';

/** Resident memory of all the processes of one grading together. */
export const MEMORY_LIMIT_BYTES = 2 * 1024 ** 3;
/** Processes and threads of one grading together (cgroup only): stops a fork bomb. */
export const TASK_LIMIT = 1024;
/** The V8 heap bound of the process that runs vitest for one grading (trusted code only). */
export const SANDBOX_HEAP_FLAGS = ['--max-old-space-size=2048'];
/**
 * The V8 heap bound of vitest's fork, where the suite imports the submission.
 * Every reference solution grades with 256 MB (measured on Node 24). Halving
 * the old 1024 MB halves the time V8 takes to stop a heap that grows without
 * end (11 s at 1024 MB on a quiet machine), which must stay under the
 * sandbox's 20 s limit on loading a submission, or it is reported as a hang.
 */
export const SUITE_HEAP_FLAGS = ['--max-old-space-size=512'];

const POLL_MS = 250;
const MIB = 1024 ** 2;

export interface MemoryLimit {
  /** How the limit is kept, for reports: "cgroup v1", "cgroup v2" or "resident-memory watchdog". */
  mechanism: string;
  /**
   * A shell command to run first, in the shell that then execs the grading, so
   * that the grading's first process is inside the limit before it runs any
   * code ('' when the limit needs no joining).
   */
  shellJoin: string;
  /** Starts watching the grading's process group; `stop` kills it. */
  watch(group: number, stop: () => void): void;
  /** Ends the limit (kills what is left in a cgroup). Returns why the run was stopped for memory, if it was. */
  release(): string | undefined;
}

let graded = 0;
/** Why the last cgroup could not be made: the watchdog keeps the limit from then on. */
let cgroupUnavailable: string | undefined;

/** A shell word in single quotes. */
const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

function cgroupLimit(group: Cgroup, limitBytes: number): MemoryLimit {
  let timer: NodeJS.Timeout | undefined;
  const reason = () =>
    group.oomKills() > 0
      ? `the submission used more than ${limitBytes / MIB} MiB of memory (${group.kind} memory limit), so the kernel stopped it`
      : undefined;
  return {
    mechanism: group.kind,
    shellJoin: group.procsFiles
      .map(
        (file) =>
          `{ echo $$ > ${quote(file)} || { echo ${quote(`sandbox: could not join ${file}`)} >&2; exit 1; }; }`,
      )
      .join(' && '),
    watch(_group, stop) {
      // One process killed for memory leaves the suite half-run: end all of it.
      timer = setInterval(() => {
        if (reason()) stop();
      }, POLL_MS);
    },
    release() {
      clearInterval(timer);
      const why = reason();
      for (const pid of group.pids()) {
        try {
          process.kill(pid, 'SIGKILL'); // it left the process group, but not the cgroup
        } catch {
          // gone meanwhile
        }
      }
      removeWhenEmpty(group);
      return why;
    },
  };
}

/**
 * rmdir fails while killed processes are still exiting: try again for ten
 * seconds. A group still there after that is removed by the sweep of the next
 * grader that starts after this one has exited (cgroup.ts).
 */
function removeWhenEmpty(group: Cgroup, attempts = 50): void {
  if (group.remove()) return;
  if (attempts > 0) setTimeout(() => removeWhenEmpty(group, attempts - 1), 200).unref();
}

function watchdogLimit(limitBytes: number): MemoryLimit {
  let stopWatching = () => {};
  let exceeded: number | undefined;
  return {
    mechanism: 'resident-memory watchdog',
    shellJoin: '',
    watch(group, stop) {
      stopWatching = watchGroupMemory(group, limitBytes, (resident) => {
        exceeded = resident;
        stop();
      });
    },
    release() {
      stopWatching();
      return exceeded === undefined
        ? undefined
        : `the submission used ${Math.round(exceeded / MIB)} MiB of memory, over the limit of ${limitBytes / MIB} MiB, so the grader stopped it`;
    },
  };
}

export interface MemoryLimitOptions {
  limitBytes?: number;
  /** Skip the cgroup (tests of the watchdog). */
  watchdogOnly?: boolean;
}

/** A fresh limit for one grading. */
export function createMemoryLimit(options: MemoryLimitOptions = {}): MemoryLimit {
  const limitBytes = options.limitBytes ?? MEMORY_LIMIT_BYTES;
  if (cgroupUnavailable === undefined && !options.watchdogOnly) {
    try {
      return cgroupLimit(createCgroup(graded++, limitBytes, TASK_LIMIT), limitBytes);
    } catch (error) {
      cgroupUnavailable = (error as Error).message;
    }
  }
  return watchdogLimit(limitBytes);
}

/** Why the grader keeps memory by the watchdog, or undefined while it uses cgroups. */
export function whyNoCgroup(): string | undefined {
  return cgroupUnavailable;
}

/** What V8 prints when a heap passes --max-old-space-size, as a sentence for the report. */
export function heapExhausted(output: string): string | undefined {
  return /JavaScript heap out of memory|Reached heap limit/.test(output)
    ? 'the submission filled the JavaScript heap (V8 heap limit), so V8 stopped it'
    : undefined;
}
