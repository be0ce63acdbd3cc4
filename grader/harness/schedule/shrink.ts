// Shrinking a failing controlled run before anyone reads it: fewest
// preemptions first, then fewest steps, every candidate replayed and kept only
// if it fails the same way (so the trace shown is one that fails when
// replayed). Then the racing pair: the first two adjacent steps of different
// actors whose swap, replayed, makes the run pass. Both stop at a budget of
// replays and time, so grading stays fast; what was found by then is used.
import type { RunRecord } from './scheduler.ts';
import {
  type Block,
  extraChoices,
  preemptions,
  type ScriptStep,
  stepsOf,
  toBlocks,
} from './script.ts';

export type Replayer = (blocks: Block[]) => Promise<RunRecord>;

export interface ShrinkBudget {
  /** Replays for shrinking and for the racing pair together. */
  replays: number;
  ms: number;
}

/**
 * Replays bound the work and keep the result the same on any machine; time
 * only caps a heavily loaded one (then a replay of the grading may shrink less).
 */
export const DEFAULT_SHRINK_BUDGET: ShrinkBudget = { replays: 60, ms: 4000 };

export interface Shrunk {
  /** The smallest failing run found (the original if nothing smaller failed). */
  record: RunRecord;
  /** Its steps (1-based) of the racing pair, or null if no single swap made it pass. */
  racingPair: [number, number] | null;
  /** Preemptions of the shrunk run, if the run shown is it reordered to bring the racing pair together. */
  preemptionsBeforeReorder: number | null;
  /** False if the budget ran out before every adjacent pair was tried. */
  pairSearchComplete: boolean;
  replays: number;
  ms: number;
}

type Key = [number, number, number];
const keyOf = (r: RunRecord): Key => [preemptions(r.decisions), r.steps, extraChoices(r.decisions)];
function smaller(a: Key, b: Key): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/** Index of each block's first step. */
function starts(blocks: Block[]): number[] {
  let at = 0;
  return blocks.map((b) => {
    const start = at;
    at += b.steps.length;
    return start;
  });
}

/** A run's blocks, and the indices of those that begin with a preemption. */
function blocksOf(record: RunRecord): { blocks: Block[]; preempted: number[] } {
  const blocks = toBlocks(stepsOf(record.decisions));
  const first = starts(blocks);
  const preempted = blocks.flatMap((_, j) =>
    j > 0 && record.decisions[first[j]].runnable.includes(blocks[j - 1].actor) ? [j] : [],
  );
  return { blocks, preempted };
}

/** Variants of a failing run's schedule, those likeliest to remove a preemption first. */
function* candidates(record: RunRecord): Generator<Block[]> {
  const { blocks, preempted } = blocksOf(record);
  const copy = () => blocks.map((b) => ({ actor: b.actor, steps: [...b.steps] }));
  // Keep the schedule up to a preemption, then run on without any.
  for (const j of preempted) yield blocks.slice(0, j);
  for (const j of [...preempted].reverse()) {
    const actor = blocks[j - 1].actor;
    const k = blocks.findIndex((b, i) => i > j && b.actor === actor);
    // The preempted actor keeps running: its next block comes forward.
    if (k > 0) {
      const merged = copy();
      merged[j - 1].steps.push(...merged[k].steps);
      merged.splice(k, 1);
      yield merged;
    }
    // Or it runs later: its block moves to just before its next one.
    const delayed = copy();
    const [moved] = delayed.splice(j - 1, 1);
    if (k > 0) delayed[k - 1].steps.unshift(...moved.steps);
    else delayed.push(moved);
    yield delayed;
  }
  // Fewer steps: without a timeout fired early or a spurious wakeup.
  for (const [b, block] of blocks.entries())
    for (const [s, step] of block.steps.entries()) {
      if (!step.early && step.spurious === undefined) continue;
      const plain = copy();
      const { early: _e, spurious: _s, ...rest }: ScriptStep = step;
      plain[b].steps[s] = rest;
      yield plain;
    }
  // Fewer steps: stop choosing earlier.
  for (let j = blocks.length - 1; j > 0; j--) if (!preempted.includes(j)) yield blocks.slice(0, j);
}

export async function shrinkFailure(
  original: RunRecord,
  replay: Replayer,
  budget: ShrinkBudget = DEFAULT_SHRINK_BUDGET,
): Promise<Shrunk> {
  const started = performance.now();
  let replays = 0;
  // Shrinking may use three quarters of the budget: the racing pair needs the rest.
  const left = (share = 1) =>
    replays < budget.replays * share && performance.now() - started < budget.ms * share;
  const kind = original.failure!.kind;
  const tried = new Set<string>();
  let best = original;
  const fails = (run: RunRecord) => run.failure?.kind === kind && run.stuck.length === 0;
  /** Replays a candidate once; true if it failed (and it is the new best if smaller). */
  const attempt = async (blocks: Block[]): Promise<boolean> => {
    tried.add(JSON.stringify(blocks));
    replays++;
    const run = await replay(blocks);
    if (!fails(run)) return false;
    if (smaller(keyOf(run), keyOf(best))) best = run;
    return true;
  };
  // First the shortest prefix of the schedule that still fails, by bisection over its preemptions
  // (the run goes on without any after the prefix): a few replays remove most of them.
  const { blocks, preempted } = blocksOf(best);
  let lo = 0;
  let hi = preempted.length;
  while (lo < hi && left(0.75)) {
    const mid = (lo + hi) >> 1;
    if (await attempt(blocks.slice(0, preempted[mid]))) hi = mid;
    else lo = mid + 1;
  }
  // Then one change at a time, the first that gives a smaller failing run, until none does.
  let improved = true;
  while (improved && left(0.75)) {
    improved = false;
    for (const candidate of candidates(best)) {
      if (!left(0.75)) break;
      if (tried.has(JSON.stringify(candidate))) continue;
      const before = best;
      await attempt(candidate);
      if (best !== before) {
        improved = true;
        break;
      }
    }
  }
  // The racing pair: the first two adjacent steps of different actors whose swap passes. Where a
  // step is followed by a run of another actor's steps, each of those may be brought next to it
  // (those in between go first), if the run still fails that way: then that run is the one shown.
  const steps = stepsOf(best.decisions);
  let racingPair: [number, number] | null = null;
  let pairSearchComplete = true;
  let preemptionsBeforeReorder: number | null = null;
  search: for (let i = 0; i + 1 < steps.length; i++) {
    const other = steps[i + 1].actor;
    if (steps[i].actor === other) continue;
    for (let k = i + 1; k < steps.length && steps[k].actor === other; k++) {
      if (!left()) {
        pairSearchComplete = false;
        break search;
      }
      const order = [...steps.slice(0, i), ...steps.slice(i + 1, k), steps[i], ...steps.slice(k)];
      let shown = best;
      if (k > i + 1) {
        replays++;
        shown = await replay(toBlocks(order));
        if (shown.failure?.kind !== kind || shown.stuck.length > 0) continue;
      }
      const swapped = [...order];
      [swapped[k - 1], swapped[k]] = [swapped[k], swapped[k - 1]];
      replays++;
      const run = await replay(toBlocks(swapped));
      if (run.failure === null && run.stuck.length === 0) {
        racingPair = [k, k + 1];
        if (shown !== best) preemptionsBeforeReorder = preemptions(best.decisions);
        best = shown;
        break search;
      }
    }
  }
  return {
    record: best,
    racingPair,
    preemptionsBeforeReorder,
    pairSearchComplete,
    replays,
    ms: performance.now() - started,
  };
}
