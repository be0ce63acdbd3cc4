// Small pieces every hidden suite uses: the runnable invariants check, waiting
// for a cell without blocking the event loop, and naming actors.
import { expect } from 'vitest';
import type { Segment } from '@ipc-course/shim';
import type { ActorSpec } from './actors.ts';

/** If the object has checkInvariants() (STYLE.md habit 2), it must report nothing wrong. */
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

/** A function naming actors that run scenarios exported by `scenarios`. */
export function actorsOf(
  scenarios: URL,
): (name: string, kind: 'worker' | 'process', scenario: string, args: unknown) => ActorSpec {
  return (name, kind, scenario, args) => ({ name, kind, module: scenarios, scenario, args });
}
