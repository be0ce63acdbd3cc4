// Controlled scheduling (grader/harness/schedule/): it finds known races and
// deadlocks by schedule, explains them, replays them by seed, fires timeouts
// in virtual time, and reports actors that escape the shim.
import { describe, expect, it } from 'vitest';
import { Segment } from '@ipc-course/shim';
import { exploreSchedules, type ControlledScenario } from '../harness/schedule/explore.ts';
import { segmentScenario } from '../harness/schedule/under-control.ts';
import type { PooledActorSpec } from '../harness/schedule/pool.ts';

import { DEADLINE_MS } from './fixtures/controlled-scenarios.ts';
const scenarios = new URL('./fixtures/controlled-scenarios.ts', import.meta.url);
const COUNTER = 0;

function actor(name: string, kind: PooledActorSpec['kind'], scenario: string) {
  return { name, kind, scenario };
}

/** Every run gets a fresh segment; every actor gets its name. */
function scenarioOf(
  actors: ReturnType<typeof actor>[],
  check: (values: unknown[], counter: number) => string | null,
): ControlledScenario<Segment> {
  return segmentScenario({
    scenarios,
    segmentBytes: 64,
    actors,
    check: (outcomes, segment) =>
      check(
        outcomes.map((o) => o.value),
        segment.load(COUNTER),
      ),
  });
}

describe('controlled scheduling', () => {
  it('finds a lost update between a worker and a process, and replays the same interleaving', {
    timeout: 60_000,
  }, async () => {
    const racy = scenarioOf(
      [actor('A', 'worker', 'racyIncrement'), actor('B', 'process', 'racyIncrement')],
      (_, counter) =>
        counter === 2 ? null : `counter is ${counter}, expected 2: an update was lost`,
    );
    const first = await exploreSchedules(racy, {
      exerciseId: 'demo',
      seed: 7,
      runs: 50,
      strategy: 'random',
    });
    expect(first.failure?.message).toContain('an update was lost');
    expect(first.failure?.message).toContain('replayed: the same interleaving');
    const second = await exploreSchedules(racy, {
      exerciseId: 'demo',
      seed: 7,
      runs: 50,
      strategy: 'random',
    });
    expect(second.failure?.run).toBe(first.failure?.run);
    expect(second.failure?.message).toBe(first.failure?.message);
    // Shrunk, replay-verified, the racing pair named and marked, each row with its call site.
    expect(first.failure?.message).toMatch(
      /shrunk from \d+ steps and \d+ preemptions to \d+ steps and \d+ preemptions/,
    );
    expect(first.failure?.racingPair).toMatch(/^steps \d+ and \d+ \(/);
    expect(first.failure?.trace.match(/⇄/g)).toHaveLength(2);
    expect(first.failure?.trace).toMatch(/controlled-scenarios\.ts:\d+ load s1@0 → 0/);
    expect(first.failure?.trace).toMatch(/controlled-scenarios\.ts:\d+ store s1@0 \d→\d/);
  });

  it('shows a failure in the smallest version of the scenario that fails the same way', {
    timeout: 60_000,
  }, async () => {
    const versionOf = (rounds: number) => ({
      args: [{ rounds }, { rounds }],
      check: (_: unknown, segment: Segment) =>
        segment.load(COUNTER) === 2 * rounds ? null : `counter is ${segment.load(COUNTER)}`,
    });
    const four = versionOf(4);
    const racy = segmentScenario({
      scenarios,
      segmentBytes: 64,
      actors: [
        { name: 'A', kind: 'worker', scenario: 'racyIncrements', args: four.args[0] },
        { name: 'B', kind: 'worker', scenario: 'racyIncrements', args: four.args[1] },
      ],
      check: four.check,
      smaller: [{ label: '1 round each', ...versionOf(1) }],
    });
    const result = await exploreSchedules(racy, {
      exerciseId: 'demo',
      seed: 5,
      runs: 50,
      strategy: 'random',
    });
    expect(result.failure?.message).toMatch(/, in the same scenario with 1 round each/);
    expect(result.failure?.message).toMatch(/counter is 1/);
    // starts, load, store: three rows per actor
    expect(result.failure?.rows).toBeLessThanOrEqual(6);
    expect(result.failure?.message).toContain('replayed: the same interleaving');
  });

  it('says plainly when the run shown does not replay, and which actor decided differently outside the shim', {
    timeout: 60_000,
  }, async () => {
    const fickle = scenarioOf(
      [actor('A', 'worker', 'decidesOutsideTheShim')],
      () => 'always fails',
    );
    const result = await exploreSchedules(fickle, {
      exerciseId: 'demo',
      seed: 3,
      runs: 1,
      strategy: 'random',
      shrinkBudget: { replays: 0, ms: 0 },
    });
    expect(result.failure?.message).toMatch(
      /COULD NOT REPRODUCE: replayed from the same schedule, the run differed at row 2 \(shown: A \(worker\): controlled-scenarios\.ts:\d+ load s1@4 → 0; replay: A \(worker\): controlled-scenarios\.ts:\d+ add s1@0 1: 0→1\)\. A \(worker\) decided differently outside the shim/,
    );
  });

  it('passes a correct futex mutex for 200 runs of each strategy', {
    timeout: 120_000,
  }, async () => {
    const locked = scenarioOf(
      [
        actor('A', 'worker', 'lockedIncrement'),
        actor('B', 'worker', 'lockedIncrement'),
        actor('C', 'process', 'lockedIncrement'),
      ],
      (_, counter) => (counter === 6 ? null : `counter is ${counter}, expected 6`),
    );
    for (const strategy of ['pct', 'random'] as const) {
      const result = await exploreSchedules(locked, {
        exerciseId: 'demo',
        seed: 11,
        runs: 200,
        strategy,
      });
      expect(result.failure?.message ?? null).toBeNull();
      expect(result.runs).toBe(200);
    }
  });

  it('reports a lost wakeup as a deadlock that names the cell, its last write and the missing notify', {
    timeout: 60_000,
  }, async () => {
    const lost = scenarioOf(
      [actor('waiter', 'worker', 'awaitFlag'), actor('setter', 'process', 'raiseFlagSilently')],
      () => null,
    );
    const result = await exploreSchedules(lost, {
      exerciseId: 'demo',
      seed: 3,
      runs: 50,
      strategy: 'pct',
    });
    expect(result.failure?.message).toMatch(/deadlock: every actor is blocked/);
    expect(result.failure?.message).toMatch(
      /waiter \(worker\) sleeps on s1@4 until it changes from 0 .*it holds 1 since step \d+ \(setter \(process\): store s1@4 0→1\); no notify of s1@4 since it went to sleep: a lost wakeup/,
    );
  });

  it('catches a wait that is not re-checked in a loop with a spurious wakeup, and passes the loop', {
    timeout: 60_000,
  }, async () => {
    const check = (values: unknown[]) =>
      values[0] === 1 ? null : `the waiter returned with the flag at ${String(values[0])}`;
    const once = await exploreSchedules(
      scenarioOf(
        [actor('waiter', 'worker', 'awaitFlagOnce'), actor('setter', 'worker', 'raiseFlag')],
        check,
      ),
      { exerciseId: 'demo', seed: 5, runs: 100, spuriousRate: 0.5 },
    );
    expect(once.failure?.message).toContain('wakes: ok (spurious)');
    const loop = await exploreSchedules(
      scenarioOf(
        [actor('waiter', 'worker', 'awaitFlag'), actor('setter', 'worker', 'raiseFlag')],
        check,
      ),
      { exerciseId: 'demo', seed: 5, runs: 100, spuriousRate: 0.5 },
    );
    expect(loop.failure?.message ?? null).toBeNull();
  });

  it('fires timeouts in virtual time, which performance.now() follows (a timeout may fire late, never early)', {
    timeout: 60_000,
  }, async () => {
    const timed = scenarioOf(
      [
        actor('sleeper', 'process', 'waitWithDeadline'),
        actor('sleeper2', 'worker', 'waitWithDeadline'),
      ],
      // Never early. Late is allowed: virtual time may move between the deadline loop's
      // first clock read and its wait, and the strategy may let a timeout fire late.
      (values) =>
        values.every((v) => typeof v === 'number' && v >= DEADLINE_MS)
          ? null
          : `waited ${values.join(', ')} ms of virtual time, expected at least ${DEADLINE_MS} (a timeout may fire late, never early)`,
    );
    const started = performance.now();
    const result = await exploreSchedules(timed, { exerciseId: 'demo', seed: 1, runs: 20 });
    expect(result.failure?.message ?? null).toBeNull();
    // In real time the 20 runs would take 200 s; virtual time takes seconds, even on a loaded machine.
    expect(
      performance.now() - started,
      `20 runs of a ${DEADLINE_MS} ms timeout in virtual time`,
    ).toBeLessThan((20 * DEADLINE_MS) / 4);
  });

  it('lets a polite spinner through: it is parked until someone writes', {
    timeout: 60_000,
  }, async () => {
    const spin = scenarioOf(
      [actor('spinner', 'worker', 'spinForFlag'), actor('setter', 'process', 'raiseFlag')],
      () => null,
    );
    for (const strategy of ['pct', 'random'] as const) {
      const result = await exploreSchedules(spin, {
        exerciseId: 'demo',
        seed: 2,
        runs: 30,
        strategy,
      });
      expect(result.failure?.message ?? null).toBeNull();
    }
  });

  it('reports an actor that never reaches a shim call, an actor that throws, and goes on', {
    timeout: 60_000,
  }, async () => {
    const escaping = scenarioOf(
      [actor('looper', 'worker', 'loopOutsideShim'), actor('setter', 'process', 'raiseFlag')],
      () => null,
    );
    const escaped = await exploreSchedules(escaping, {
      exerciseId: 'demo',
      seed: 4,
      runs: 3,
      limits: { stepTimeoutMs: 500 },
    });
    expect(escaped.failure?.message).toMatch(
      /looper \(worker\) ran for 500 ms after load s1@4 without another shim call/,
    );
    const throwing = scenarioOf(
      [actor('thrower', 'process', 'throwsPlainError'), actor('setter', 'worker', 'raiseFlag')],
      () => null,
    );
    const threw = await exploreSchedules(throwing, { exerciseId: 'demo', seed: 4, runs: 3 });
    expect(threw.failure?.message).toContain('thrower (process) threw EPERM: learner bug');
  });

  it('controls waitAsync too', { timeout: 60_000 }, async () => {
    const asyncWait = scenarioOf(
      [
        actor('waiter', 'worker', 'awaitFlagAsync'),
        actor('setter', 'process', 'raiseFlagSilently'),
      ],
      () => null,
    );
    const lost = await exploreSchedules(asyncWait, { exerciseId: 'demo', seed: 9, runs: 50 });
    expect(lost.failure?.message).toMatch(/a lost wakeup/);
  });
});
