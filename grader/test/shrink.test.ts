// Shrinking a failing schedule and naming its racing pair (harness/schedule/
// shrink.ts), against a model of two actors that each load a counter and store
// it plus one: no processes, so every replay is exact and the test is quick.
import { describe, expect, it } from 'vitest';
import type { Decision, RunRecord } from '../harness/schedule/scheduler.ts';
import {
  type Block,
  preemptions,
  scriptedStrategy,
  stepsOf,
  toBlocks,
} from '../harness/schedule/script.ts';
import { shrinkFailure } from '../harness/schedule/shrink.ts';
import { SMALLER_EXPLORATION, shrinkAcrossVersions } from '../harness/schedule/smaller.ts';
import type { Strategy } from '../harness/schedule/strategies.ts';

/** Each actor: start, then `rounds` times load the counter and store it plus one. */
function modelRun(strategy: Strategy, actors = 3, rounds = 2): RunRecord {
  const ops = Array.from({ length: actors }, () => [
    'start',
    ...Array.from({ length: rounds }, () => ['load', 'store']).flat(),
  ]);
  const next = ops.map(() => 0);
  const local = ops.map(() => 0);
  let counter = 0;
  const record: RunRecord = {
    steps: 0,
    decisions: [],
    contested: 0,
    virtualMs: 0,
    rows: [],
    outcomes: [],
    failure: null,
    stuck: [],
  };
  for (;;) {
    const runnable = ops.flatMap((list, a) => (next[a] < list.length ? [a] : []));
    if (runnable.length === 0) break;
    const pick = strategy.pick(runnable, 0);
    const decision: Decision = { runnable, pick };
    record.decisions.push(decision);
    record.steps++;
    const op = ops[pick][next[pick]++];
    if (op === 'load') local[pick] = counter;
    if (op === 'store') counter = local[pick] + 1;
    record.rows.push({ step: record.steps, actor: pick, text: `${op} → ${counter}` });
  }
  if (counter !== actors * rounds)
    record.failure = { kind: 'check', message: `counter ${counter}`, cells: [] };
  return record;
}

const replay = async (blocks: Block[]) => modelRun(scriptedStrategy(blocks));
const replayTwo = async (blocks: Block[]) => modelRun(scriptedStrategy(blocks), 2, 1);

/** Every swap of two adjacent steps of different actors, replayed: does any pass? */
async function someSwapPasses(run: RunRecord, again: typeof replay): Promise<boolean> {
  const steps = stepsOf(run.decisions);
  for (let i = 0; i + 1 < steps.length; i++) {
    if (steps[i].actor === steps[i + 1].actor) continue;
    const swapped = [...steps];
    [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
    if ((await again(toBlocks(swapped))).failure === null) return true;
  }
  return false;
}

/** A schedule that switches actor at every step it can: many preemptions. */
const roundRobin: Strategy = {
  pick: (runnable) => runnable[roundRobinTurn++ % runnable.length],
  demote: () => {},
  wake: (waiters, count) => waiters.slice(0, count),
  spurious: () => null,
  fireEarly: () => false,
};
let roundRobinTurn = 0;

describe('shrinking a failing schedule', () => {
  it('replays a run exactly from its own script', () => {
    roundRobinTurn = 0;
    const first = modelRun(roundRobin);
    const again = modelRun(scriptedStrategy(toBlocks(stepsOf(first.decisions))));
    expect(again.decisions.map((d) => d.pick)).toEqual(first.decisions.map((d) => d.pick));
    expect(again.failure?.message).toBe(first.failure?.message);
  });

  it('finds a run with fewer preemptions and no more steps that still fails when replayed', async () => {
    roundRobinTurn = 0;
    const first = modelRun(roundRobin);
    expect(first.failure).not.toBeNull();
    expect(preemptions(first.decisions)).toBeGreaterThan(3);
    const shrunk = await shrinkFailure(first, replay, { replays: 500, ms: 60_000 });
    const shown = shrunk.record;
    // A lost update needs one preemption: an actor loads, others run, it stores what it loaded.
    expect(preemptions(shown.decisions)).toBe(1);
    expect(shown.steps).toBeLessThanOrEqual(first.steps);
    expect((await replay(toBlocks(stepsOf(shown.decisions)))).failure?.kind).toBe('check');
    // "None found" is the truth here: with three actors, the stale store overwrites
    // someone's work wherever a single swap puts it.
    expect(shrunk.racingPair).toBeNull();
    expect(shrunk.pairSearchComplete).toBe(true);
    expect(await someSwapPasses(shown, replay)).toBe(false);
  });

  it('names the racing pair: adjacent steps of two actors which, swapped, make the run pass', async () => {
    roundRobinTurn = 0;
    const first = modelRun(roundRobin, 2, 1);
    expect(first.failure).not.toBeNull();
    const shrunk = await shrinkFailure(first, replayTwo, { replays: 500, ms: 60_000 });
    const shown = shrunk.record;
    expect((await replayTwo(toBlocks(stepsOf(shown.decisions)))).failure).not.toBeNull();
    expect(shrunk.racingPair).not.toBeNull();
    const [a, b] = shrunk.racingPair!.map((step) => step - 1);
    expect(b).toBe(a + 1);
    const steps = stepsOf(shown.decisions);
    expect(steps[a].actor).not.toBe(steps[b].actor);
    [steps[a], steps[b]] = [steps[b], steps[a]];
    expect((await replayTwo(toBlocks(steps))).failure).toBeNull();
  });

  it('stops at its budget and says the racing pair was not searched to the end', async () => {
    roundRobinTurn = 0;
    const first = modelRun(roundRobin);
    const shrunk = await shrinkFailure(first, replay, { replays: 0, ms: 60_000 });
    expect(shrunk.replays).toBe(0);
    expect(shrunk.record).toBe(first);
    expect(shrunk.racingPair).toBeNull();
    expect(shrunk.pairSearchComplete).toBe(false);
  });
});

describe('showing a failure in a smaller version', () => {
  /** Every actor runs to the end before the next starts: never a lost update. */
  const oneAtATime: Strategy = { ...roundRobin, pick: (runnable) => runnable[0] };

  it('tries seeded schedules of a smaller version of its own when the failing schedule does not fail there', async () => {
    roundRobinTurn = 0;
    const first = modelRun(roundRobin);
    const explored: number[] = [];
    const full = { label: null, replay };
    // Replayed from any schedule the smaller version passes (a stand-in for a race
    // window the full run's schedule misses); under its own third schedule, a round
    // robin, it loses an update.
    const smaller = {
      label: '2 actors, 1 round each',
      replay: async (_blocks: Block[]) => modelRun(oneAtATime, 2, 1),
      explore: async (attempt: number) => {
        explored.push(attempt);
        roundRobinTurn = 0;
        return modelRun(attempt === 2 ? roundRobin : oneAtATime, 2, 1);
      },
    };
    const budget = { replays: 500, ms: 60_000 };
    const shown = await shrinkAcrossVersions(first, [full, smaller], budget);
    expect(explored).toEqual([0, 1, 2]);
    expect(shown.version).toBe(smaller);
    expect(shown.shrunk.record.failure?.kind).toBe('check');
    expect(shown.shrunk.record.steps).toBeLessThan(first.steps);
  });

  it('keeps the full scenario when no smaller version fails in its seeded schedules', async () => {
    roundRobinTurn = 0;
    const first = modelRun(roundRobin);
    let explored = 0;
    const smaller = {
      label: '2 actors, 1 round each',
      replay: async () => modelRun(oneAtATime, 2, 1),
      explore: async () => {
        explored++;
        return modelRun(oneAtATime, 2, 1);
      },
    };
    const shown = await shrinkAcrossVersions(first, [{ label: null, replay }, smaller], {
      replays: 500,
      ms: 60_000,
    });
    expect(explored).toBe(SMALLER_EXPLORATION.attempts);
    expect(shown.version.label).toBeNull();
  });
});
