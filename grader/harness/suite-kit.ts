// Small pieces every hidden suite uses: the runnable invariants check, waiting
// for a cell without blocking the event loop, the code a call throws, and naming
// actors.
import { expect } from 'vitest';
import type { Segment } from '@ipc-course/shim';
import type { ActorSpec } from './actors.ts';
import type * as HostClock from './host-clock.ts';
import { pingHost, remoteModuleAt } from './realm/remote.ts';

/** If the object has checkInvariants() (an optional self-check a solution may offer), it must report nothing wrong. */
export function invariantsHold(object: object, what = 'checkInvariants() at rest'): void {
  const check = (object as { checkInvariants?: () => string | null }).checkInvariants;
  if (typeof check === 'function') expect(check.call(object), what).toBeNull();
}

/** Waits (without blocking the event loop) until `cell` reaches at least `count` or time is up; returns the cell. */
export async function reach(
  segment: Segment,
  cell: number,
  count: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let value = segment.load(cell);
  for (; value < count && performance.now() < deadline; value = segment.load(cell)) {
    await segment.waitAsync(cell, value, 50);
  }
  return value;
}

/** reach(), failing with "timed out waiting for <what>" when time is up. */
export async function until(
  segment: Segment,
  cell: number,
  what: string,
  count = 1,
  timeoutMs = 15_000,
): Promise<void> {
  if ((await reach(segment, cell, count, timeoutMs)) < count)
    throw new Error(`timed out waiting for ${what}`);
}

/** A thrown error's `code`, else its text, so that a failed check shows what was thrown. */
function codeOrText(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code ?? String(error);
}

/** The code of the error `action` throws (its text if it has none), or null if it returns. */
export function thrownCode(action: () => unknown): unknown {
  try {
    action();
    return null;
  } catch (error) {
    return codeOrText(error);
  }
}

/** thrownCode for a call that may return a Promise: the code it throws or rejects with, or null. */
export async function thrownCodeAsync(action: () => unknown): Promise<unknown> {
  try {
    await action();
    return null;
  } catch (error) {
    return codeOrText(error);
  }
}

/** A function naming actors that run scenarios exported by `scenarios`. */
export function actorsOf(
  scenarios: URL,
): (name: string, kind: 'worker' | 'process', scenario: string, args: unknown) => ActorSpec {
  return (name, kind, scenario, args) => ({ name, kind, module: scenarios, scenario, args });
}

/**
 * How long an async call under test waits (the holder keeps the resource this
 * long), and the longest gap between ping answers that still counts as an
 * event loop left free. A submission that blocks its thread blocks for about
 * the whole hold; a free one answered within 275 ms at load average 21 on 2
 * cores (once the shim's waitAsync no longer stalled on a shared futex bit).
 */
export const EVENT_LOOP_HOLD_MS = 1500;
export const EVENT_LOOP_GAP_LIMIT_MS = 600;

/**
 * Awaits `pending` (a promise the submission's object host handed out) while
 * pinging that host every `everyMs`. The host answers pings on its event loop,
 * so a submission that blocks its thread while the promise is pending leaves a
 * long gap between answers, measured here, outside the submission's process.
 */
export async function whileHostAwaits<T>(
  pending: Promise<T>,
  everyMs = 10,
): Promise<{ value: T; longestGapMs: number; answers: number }> {
  let settled = false;
  const done = pending.finally(() => (settled = true));
  done.catch(() => {}); // rethrown below, once the pings have stopped
  const answered = [performance.now()];
  while (!settled) {
    await pingHost(10_000);
    answered.push(performance.now());
    if (!settled) await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  const value = await done;
  answered.push(performance.now());
  const longestGapMs = Math.max(...answered.slice(1).map((t, i) => t - answered[i]));
  return { value, longestGapMs, answers: answered.length - 2 };
}

const hostClock = remoteModuleAt<typeof HostClock>(
  new URL('./host-clock.ts', import.meta.url).href,
  "the grader's host-clock.ts",
);

/**
 * Calls `object.method(...args)` on a remote object and times it in the object
 * host, where it runs: a bound of a few ms on a call that must not wait would
 * otherwise also measure the round trip to the submission's process.
 */
export function timedInHost<T>(
  object: object,
  method: string,
  ...args: unknown[]
): { value: T; elapsedMs: number } {
  return hostClock.timeCall(object as Record<string, unknown>, method, args) as {
    value: T;
    elapsedMs: number;
  };
}

/**
 * Calls `object.method(...args)` `times` times in the object host, timed there
 * (see timedInHost); returns how many calls returned each value, by String(value).
 */
export function timedRepeatInHost(
  object: object,
  method: string,
  times: number,
  ...args: unknown[]
): { results: Record<string, number>; elapsedMs: number } {
  return hostClock.timeCalls(object as Record<string, unknown>, method, args, times);
}
