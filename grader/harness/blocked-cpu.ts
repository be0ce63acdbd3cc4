// The "sleeps in the futex while blocked (no CPU burnt)" measurement, taken
// from the trusted side: while the suite knows an actor is blocked (it raised
// its flag, and nobody has released it yet), this process reads that actor's
// thread's scheduler times from /proc before and after a wait of its own. The
// actor's own figures are never used: a submission can make its process
// report anything (patch String.prototype.split, and a /proc reading there
// says 0).
//
// Two bounds. Time on a CPU: under 5% of the window. And time runnable (on a
// CPU, or ready and waiting for one): under half of it. A thread asleep in the
// futex is neither; a spinning thread is always one or the other, so its sum
// is its wall time whatever the load, while its CPU time is not: at a load of
// 30 on 2 cores, a thread spinning on sched_yield gets about 5% of a CPU. A
// correct thread that wakes now and then to look (20-ports' sender, every
// 100 ms) waits in the run queue at each wakeup on a busy machine: 14% of the
// window at load 39, far from half.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { WatchedRun } from './actors.ts';
import { threadTimes } from './thread-cpu.ts';

/** What an actor's thread did over the window. */
export interface Burnt {
  /** Time on a CPU (ms); NaN when its thread could not be read (see `source`). */
  onCpuMs: number;
  /** Time runnable but waiting for a CPU (ms); NaN likewise. */
  waitingMs: number;
  /** The window, by this process's clock (ms). */
  wallMs: number;
  /** Which thread was read, or why none could be. */
  source: string;
}

/** The share of the window a blocked thread may spend on a CPU. */
export const BLOCKED_CPU_SHARE = 0.05;
/** The share of the window it may spend runnable (on a CPU or waiting for one). */
export const BLOCKED_RUNNABLE_SHARE = 0.5;

/**
 * Waits `ms` (the suite's "let it sit blocked" pause) and returns what each
 * named actor's thread did meanwhile, read here. A thread that raised its flag
 * may still be on its way into the futex when the window opens (on a loaded
 * machine it can sit in the run queue a while): that counts against the
 * runnable bound only, whose room of half the window is far above it.
 */
export async function cpuWhileBlocked(
  run: WatchedRun,
  names: string[],
  ms: number,
): Promise<Record<string, Burnt>> {
  const threads = await Promise.all(names.map((name) => run.thread(name)));
  const read = () =>
    threads.map((t) =>
      typeof t === 'string' ? { onCpuMs: Number.NaN, waitingMs: Number.NaN } : threadTimes(t),
    );
  const before = read();
  const wallStart = performance.now();
  await sleep(ms);
  const after = read();
  const wallMs = performance.now() - wallStart;
  return Object.fromEntries(
    names.map((name, i) => {
      const t = threads[i];
      const source =
        typeof t === 'string'
          ? `no thread to read: ${t}`
          : Number.isNaN(after[i].onCpuMs)
            ? `no thread to read: thread ${t.tid} of pid ${t.pid} ended while it should have been blocked`
            : `read by the grader from /proc/${t.pid}/task/${t.tid}/schedstat`;
      const onCpuMs = after[i].onCpuMs - before[i].onCpuMs;
      const waitingMs = after[i].waitingMs - before[i].waitingMs;
      return [name, { onCpuMs, waitingMs, wallMs, source }];
    }),
  );
}

/** The checks: `who` (e.g. "the waiter") was on a CPU under 5% of the window, and runnable under half. */
export function expectLittleCpu(burnt: Burnt, who: string, doing = 'blocked'): void {
  const { onCpuMs, waitingMs, wallMs, source } = burnt;
  const window = `while ${doing} ${wallMs.toFixed(0)} ms`;
  expect(
    onCpuMs,
    `CPU ${who} used ${window} (${source}; must be under ${BLOCKED_CPU_SHARE * 100}%)`,
  ).toBeLessThan(wallMs * BLOCKED_CPU_SHARE);
  expect(
    onCpuMs + waitingMs,
    `time ${who} was running or ready to run ${window}: ${onCpuMs.toFixed(0)} ms on a CPU, ${waitingMs.toFixed(0)} ms waiting for one (${source}; a thread asleep in the futex does neither, a spinning one never stops; must be under ${BLOCKED_RUNNABLE_SHARE * 100}%)`,
  ).toBeLessThan(wallMs * BLOCKED_RUNNABLE_SHARE);
}
