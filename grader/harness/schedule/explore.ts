// Controlled scheduling for a hidden suite: run a small scenario (2-3 actors,
// tens of shim calls) many times, each under a schedule a seeded strategy
// picks, check it after every run, and on the first failure shrink that run
// (shrink.ts), replay the shrunk one to confirm it, and report it as a table.
import type { ControlledDetails, Problem } from '../failure-class.ts';
import { ControlBoard } from './board.ts';
import { ActorPool, type PooledActorSpec } from './pool.ts';
import { describeFailure } from './report.ts';
import { runOnce, type ActorResult, type RunLimits, type RunRecord } from './scheduler.ts';
import { scriptedStrategy, stepsOf, toBlocks, type Block } from './script.ts';
import { DEFAULT_SHRINK_BUDGET, type ShrinkBudget } from './shrink.ts';
import { shrinkAcrossVersions } from './smaller.ts';
import { makeStrategy, type Strategy } from './strategies.ts';
import { STRATEGIES, type StrategyName } from './strategy-names.ts';

export type { ActorResult } from './scheduler.ts';

export interface ControlledScenario<S> {
  /** Each actor runs export `scenario` of its module, with the arguments setup() gives it. */
  actors: Array<PooledActorSpec & { scenario: string }>;
  /** Before each run, on the test's thread: fresh shared state, and each actor's arguments. */
  setup(run: number): { state: S; args: unknown[] };
  /** After a run in which every actor finished: null if all is well, else what is wrong (with its class, if it has one). */
  check(outcomes: ActorResult[], state: S): string | Problem | null;
  /** After every run. */
  teardown?(state: S): void;
  /**
   * Smaller versions of this scenario (the same actors, fewer operations),
   * smallest first: a failure is shown in the first that fails the same way
   * under its schedule (smaller.ts).
   */
  smaller?: Array<SmallerScenario<S>>;
}

export interface SmallerScenario<S> extends Pick<ControlledScenario<S>, 'setup' | 'check'> {
  /** How it differs ("1 round per actor"). */
  label: string;
}

export interface ExploreOptions {
  exerciseId: string;
  seed: number;
  /** Runs to make; IPC_SCHEDULE_RUNS (the grade command's --runs) overrides it. */
  runs: number;
  /** IPC_SCHEDULE_STRATEGY (--strategy) overrides it. Default mixed. */
  strategy?: StrategyName;
  /** Probability of a spurious wakeup per step, in every other run. Default 0.05. */
  spuriousRate?: number;
  limits?: Partial<RunLimits>;
  /** Replays and time the shrinking of a failure may take. */
  shrinkBudget?: ShrinkBudget;
  /** The command that replays a failure, instead of the grade command (the learners' race check). */
  replay?: string;
}

export interface ControlledFailure extends ControlledDetails {
  run: number;
  message: string;
}

export interface ExploreResult {
  runs: number;
  steps: number;
  strategy: StrategyName;
  failure: ControlledFailure | null;
}

const DEFAULT_LIMITS: RunLimits = {
  maxSteps: 20_000,
  stepTimeoutMs: 5000,
  startTimeoutMs: 30_000,
  maxVirtualMs: 60_000,
};

/** The run count and strategy a grading asked for (grade --runs, --strategy), else the suite's. */
export function scheduleSettings(
  defaultRuns: number,
  defaultStrategy: StrategyName = 'mixed',
): { runs: number; strategy: StrategyName } {
  const runs = Number(process.env.IPC_SCHEDULE_RUNS);
  const strategy = (process.env.IPC_SCHEDULE_STRATEGY || undefined) as StrategyName | undefined;
  if (strategy && !STRATEGIES.includes(strategy))
    throw new Error(
      `IPC_SCHEDULE_STRATEGY must be one of ${STRATEGIES.join(', ')}, got "${strategy}"`,
    );
  return {
    runs: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
    strategy: strategy ?? defaultStrategy,
  };
}

/** A run's own seed, from the test's seed and the run's number. */
function seedOfRun(seed: number, run: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ run, 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

export async function exploreSchedules<S>(
  scenario: ControlledScenario<S>,
  options: ExploreOptions,
): Promise<ExploreResult> {
  const { runs, strategy } = scheduleSettings(options.runs, options.strategy);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const names = scenario.actors.map((a) => `${a.name} (${a.kind})`);
  const board = new ControlBoard(scenario.actors.length);
  const pool = new ActorPool(board, scenario.actors);
  let steps = 0;
  let expectedSteps = 50;
  let runNumber = 0;
  try {
    for (let run = 0; run < runs; run++) {
      // PCT depth 2 or 3 (one or two preemptions: most real bugs need no more); spurious wakeups in half the runs.
      const kind = strategy === 'mixed' ? (run % 2 === 0 ? 'random' : 'pct') : strategy;
      const plan = {
        kind,
        seed: seedOfRun(options.seed, run),
        depth: 2 + ((run >> 1) % 2),
        expectedSteps,
        spuriousRate: (run >> 1) % 2 === 1 ? (options.spuriousRate ?? 0.05) : 0,
      };
      const attempt = async (
        strategyNow: Strategy,
        version: Pick<ControlledScenario<S>, 'setup' | 'check'> = scenario,
      ) => {
        const { state, args } = version.setup(run);
        const actorArgs = scenario.actors.map((a, i) => ({ scenario: a.scenario, args: args[i] }));
        try {
          const record = runOnce(board, names, ++runNumber, actorArgs, strategyNow, limits);
          if (record.stuck.length) await pool.replace(record.stuck);
          if (!record.failure) judge(record, state, version.check);
          return record;
        } finally {
          scenario.teardown?.(state);
        }
      };
      const record = await attempt(makeStrategy(plan.kind, { actors: names.length, ...plan }));
      steps += record.steps;
      expectedSteps = Math.max(expectedSteps, record.contested);
      if (record.failure) {
        const versions = [scenario, ...(scenario.smaller ?? [])].map((version, index) => ({
          label: version === scenario ? null : (version as SmallerScenario<S>).label,
          replay: (blocks: Block[]) => attempt(scriptedStrategy(blocks), version),
          // Seeded from this run's seed: a replay of the grading explores the same schedules.
          explore: (tried: number) =>
            attempt(
              makeStrategy(tried % 2 === 0 ? 'random' : 'pct', {
                actors: names.length,
                seed: seedOfRun(plan.seed, (index << 8) + tried),
                depth: 2 + ((tried >> 1) % 2),
                expectedSteps,
                spuriousRate: 0,
              }),
              version,
            ),
        }));
        const stuck = record.failure.kind === 'no-shim-call' || record.failure.kind === 'start';
        const chosen = stuck
          ? null
          : await shrinkAcrossVersions(
              record,
              versions,
              options.shrinkBudget ?? DEFAULT_SHRINK_BUDGET,
            );
        const shrunk = chosen?.shrunk ?? null;
        const shown = shrunk?.record ?? record;
        const again = chosen
          ? await chosen.version.replay(toBlocks(stepsOf(shown.decisions)))
          : null;
        const described = describeFailure({
          names,
          first: record,
          shrunk,
          smallerVersion: chosen?.version.label ?? null,
          again,
          heading: `controlled run ${run + 1} of ${runs} (strategy ${strategy}: ${plan.kind === 'pct' ? `pct, depth ${plan.depth}` : 'random walk'})`,
          replayCommand:
            options.replay ??
            `npm run grade -- <submission> --exercise ${options.exerciseId} --seed ${options.seed} --strategy ${strategy} --runs ${run + 1}`,
        });
        return { runs: run + 1, steps, strategy, failure: { run, ...described } };
      }
      await new Promise((resolve) => setImmediate(resolve)); // let the test's event loop breathe between runs
    }
    return { runs, steps, strategy, failure: null };
  } finally {
    await pool.close();
    board.dispose();
  }

  function judge(
    record: RunRecord,
    state: S,
    check: ControlledScenario<S>['check'] = scenario.check,
  ): void {
    const threw = record.outcomes.find((o) => o.status === 'error');
    if (threw) {
      record.failure = {
        kind: 'error',
        message: `${threw.name} threw${threw.code ? ` ${threw.code}` : ''}: ${threw.error}`,
        cells: [],
      };
      return;
    }
    let problem: string | Problem | null;
    try {
      problem = check(record.outcomes, state);
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (typeof problem === 'string')
      record.failure = { kind: 'check', message: problem, cells: [] };
    else if (problem)
      record.failure = {
        kind: 'check',
        message: problem.message,
        cells: [],
        class: problem.class,
      };
  }
}
