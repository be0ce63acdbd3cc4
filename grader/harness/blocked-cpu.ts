// The "sleeps in the futex while blocked (no CPU burnt)" measurement, taken
// from the trusted side: while the suite knows an actor is blocked (it raised
// its flag, and nobody has released it yet), this process reads that actor's
// thread's CPU time from /proc before and after a wait of its own. The actor's
// own figures are never used: a submission can make its process report
// anything (patch String.prototype.split, and a /proc reading there says 0).
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { WatchedRun } from './actors.ts';
import { threadCpuMs } from './thread-cpu.ts';

/** What an actor's thread burnt over the window. */
export interface Burnt {
  /** CPU time used (ms); NaN when its thread could not be read (see `source`). */
  cpuMs: number;
  /** The window, by this process's clock (ms). */
  wallMs: number;
  /** Which thread was read, or why none could be. */
  source: string;
}

/** The share of the window a blocked thread may spend on a CPU. */
export const BLOCKED_CPU_SHARE = 0.05;

/**
 * Waits `ms` (the suite's "let it sit blocked" pause) and returns, for each
 * named actor of `run`, the CPU its thread used meanwhile, read here.
 */
export async function cpuWhileBlocked(
  run: WatchedRun,
  names: string[],
  ms: number,
): Promise<Record<string, Burnt>> {
  const threads = await Promise.all(names.map((name) => run.thread(name)));
  const read = () => threads.map((t) => (typeof t === 'string' ? Number.NaN : threadCpuMs(t)));
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
          : Number.isNaN(after[i])
            ? `no thread to read: thread ${t.tid} of pid ${t.pid} ended while it should have been blocked`
            : `read by the grader from /proc/${t.pid}/task/${t.tid}`;
      return [name, { cpuMs: after[i] - before[i], wallMs, source }];
    }),
  );
}

/** The check: `who` (e.g. "the waiter") spent under 5% of the window on a CPU. */
export function expectLittleCpu(burnt: Burnt, who: string, doing = 'blocked'): void {
  expect(
    burnt.cpuMs,
    `CPU ${who} used while ${doing} ${burnt.wallMs.toFixed(0)} ms (${burnt.source}; must be under ${BLOCKED_CPU_SHARE * 100}%)`,
  ).toBeLessThan(burnt.wallMs * BLOCKED_CPU_SHARE);
}
