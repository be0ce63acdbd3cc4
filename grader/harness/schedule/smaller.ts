// A failure shown in the smallest scenario that still fails: a scenario may
// name smaller versions of itself (the same actors doing fewer rounds), and
// the failing schedule, replayed on one of them, often fails the same way in
// far fewer steps. Tried smallest first: the failing run's own schedule, then
// its shrunk one; then, if neither fails on any, a few seeded schedules of each
// smaller version of its own (a smaller version's race window may sit at other
// steps). Whichever version fails is shrunk, and that run is shown. A smaller
// version is a valid scenario, so its failure is the same submission's bug.
// One budget for all of it.
import type { RunRecord } from './scheduler.ts';
import { stepsOf, toBlocks } from './script.ts';
import { type Replayer, type ShrinkBudget, type Shrunk, shrinkFailure } from './shrink.ts';

export interface Version {
  /** How it differs, for the report ("1 round per actor"); null for the scenario itself. */
  label: string | null;
  replay: Replayer;
  /** Runs the version under seeded schedule number `attempt` of its own (the same every time). */
  explore?(attempt: number): Promise<RunRecord>;
}

/** Seeded schedules tried on each smaller version, and the time they may take together. */
export const SMALLER_EXPLORATION = { attempts: 12, ms: 3000 };

export interface ShownRun {
  shrunk: Shrunk;
  version: Version;
}

export async function shrinkAcrossVersions(
  first: RunRecord,
  versions: Version[],
  budget: ShrinkBudget,
): Promise<ShownRun> {
  const [full, ...smaller] = versions;
  const kind = first.failure!.kind;
  const fails = (run: RunRecord) => run.failure?.kind === kind && run.stuck.length === 0;
  const onSmaller = async (source: RunRecord, extra: { replays: number; ms: number }) => {
    for (const version of smaller) {
      const started = performance.now();
      const run = await version.replay(toBlocks(stepsOf(source.decisions)));
      if (!fails(run)) {
        extra.replays++;
        extra.ms += performance.now() - started;
        continue;
      }
      const shrunk = await shrinkFailure(run, version.replay, {
        replays: budget.replays - extra.replays - 1,
        ms: budget.ms - extra.ms - (performance.now() - started),
      });
      return {
        version,
        shrunk: {
          ...shrunk,
          replays: shrunk.replays + extra.replays + 1,
          ms: shrunk.ms + extra.ms + performance.now() - started,
        },
      };
    }
    return null;
  };
  const spent = { replays: 0, ms: 0 };
  const direct = await onSmaller(first, spent);
  if (direct) return direct;
  const shrunk = await shrinkFailure(first, full.replay, {
    replays: budget.replays - spent.replays,
    ms: budget.ms - spent.ms,
  });
  const afterShrink = { replays: spent.replays + shrunk.replays, ms: spent.ms + shrunk.ms };
  const after = await onSmaller(shrunk.record, afterShrink);
  if (after) return after;
  const explored = await exploreSmaller(afterShrink);
  return (
    explored ?? {
      version: full,
      shrunk: { ...shrunk, replays: shrunk.replays + spent.replays, ms: shrunk.ms + spent.ms },
    }
  );

  /** The first smaller version (smallest first) that fails the same way under a schedule of its own, shrunk. */
  async function exploreSmaller(before: { replays: number; ms: number }): Promise<ShownRun | null> {
    const started = performance.now();
    for (const version of smaller) {
      for (let attempt = 0; attempt < SMALLER_EXPLORATION.attempts; attempt++) {
        if (!version.explore || performance.now() - started > SMALLER_EXPLORATION.ms) break;
        const run = await version.explore(attempt);
        if (!fails(run)) continue;
        const searched = performance.now() - started;
        const shrunk = await shrinkFailure(run, version.replay, {
          replays: budget.replays - before.replays,
          ms: budget.ms - before.ms,
        });
        return {
          version,
          shrunk: {
            ...shrunk,
            replays: shrunk.replays + before.replays,
            ms: shrunk.ms + before.ms + searched,
          },
        };
      }
    }
    return null;
  }
}
