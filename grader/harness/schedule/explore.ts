// Controlled scheduling for a hidden suite: run a small scenario (2-3 actors,
// tens of shim calls) many times, each under a schedule a seeded strategy
// picks, check it after every run, and on the first failure replay that run,
// compare the two traces, and report the interleaving as a table.
import { ControlBoard } from './board.ts';
import { ActorPool, type PooledActorSpec } from './pool.ts';
import { runOnce, type ActorResult, type RunLimits, type RunRecord } from './scheduler.ts';
import { makeStrategy } from './strategies.ts';
import { STRATEGIES, type StrategyName } from './strategy-names.ts';
import { formatTrace } from './trace.ts';

export type { ActorResult } from './scheduler.ts';

export interface ControlledScenario<S> {
  /** Each actor runs export `scenario` of its module, with the arguments setup() gives it. */
  actors: Array<PooledActorSpec & { scenario: string }>;
  /** Before each run, on the test's thread: fresh shared state, and each actor's arguments. */
  setup(run: number): { state: S; args: unknown[] };
  /** After a run in which every actor finished: null if all is well, else what is wrong. */
  check(outcomes: ActorResult[], state: S): string | null;
  /** After every run. */
  teardown?(state: S): void;
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
  /** The command that replays a failure, instead of the grade command (the learners' race check). */
  replay?: string;
}

export interface ControlledFailure {
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
      const attempt = async () => {
        const { state, args } = scenario.setup(run);
        const actorArgs = scenario.actors.map((a, i) => ({ scenario: a.scenario, args: args[i] }));
        try {
          const strategyNow = makeStrategy(plan.kind, { actors: names.length, ...plan });
          const record = runOnce(board, names, ++runNumber, actorArgs, strategyNow, limits);
          if (record.stuck.length) await pool.replace(record.stuck);
          if (!record.failure) judge(record, state);
          return record;
        } finally {
          scenario.teardown?.(state);
        }
      };
      const record = await attempt();
      steps += record.steps;
      expectedSteps = Math.max(expectedSteps, record.contested);
      if (record.failure) {
        const again =
          record.failure.kind === 'no-shim-call' || record.failure.kind === 'start'
            ? null
            : await attempt();
        return {
          runs: run + 1,
          steps,
          strategy,
          failure: { run, message: report(record, again, run, plan) },
        };
      }
      await new Promise((resolve) => setImmediate(resolve)); // let the test's event loop breathe between runs
    }
    return { runs, steps, strategy, failure: null };
  } finally {
    await pool.close();
    board.dispose();
  }

  function judge(record: RunRecord, state: S): void {
    const threw = record.outcomes.find((o) => o.status === 'error');
    if (threw) {
      record.failure = {
        kind: 'error',
        message: `${threw.name} threw${threw.code ? ` ${threw.code}` : ''}: ${threw.error}`,
        cells: [],
      };
      return;
    }
    let problem: string | null;
    try {
      problem = scenario.check(record.outcomes, state);
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (problem) record.failure = { kind: 'check', message: problem, cells: [] };
  }

  function report(
    record: RunRecord,
    again: RunRecord | null,
    run: number,
    plan: { kind: 'random' | 'pct'; depth: number },
  ): string {
    const failure = record.failure!;
    const trace = formatTrace(record.rows, names, new Set(failure.cells));
    const same =
      again &&
      again.rows.length === record.rows.length &&
      again.rows.every(
        (r, i) => r.text === record.rows[i].text && r.actor === record.rows[i].actor,
      );
    const divergence = again
      ? record.rows.findIndex(
          (r, i) => again.rows[i]?.text !== r.text || again.rows[i]?.actor !== r.actor,
        )
      : -1;
    const replayed =
      again === null
        ? 'not replayed (an actor had to be stopped)'
        : same
          ? 'replayed once: the same interleaving and the same failure'
          : `replayed once: the interleaving differed from step ${record.rows[divergence]?.step ?? record.rows.length} (code outside the shim decides differently from run to run)`;
    return [
      `controlled run ${run + 1} of ${runs} (strategy ${strategy}: ${plan.kind === 'pct' ? `pct, depth ${plan.depth}` : 'random walk'}, ${record.steps} steps, ${record.virtualMs} ms of virtual time) failed: ${failure.message}`,
      `interleaving (${replayed}):`,
      trace,
      `replay: ${options.replay ?? `npm run grade -- <submission> --exercise ${options.exerciseId} --seed ${options.seed} --strategy ${strategy} --runs ${run + 1}`}`,
    ].join('\n');
  }
}
