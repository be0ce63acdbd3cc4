// The shape every hidden suite's controlled test takes: a fresh segment per run
// with the shared object laid out in it, a few actors running scenarios over
// it, a check after each run. Throws the failure report (trace and replay
// command included) for the test to fail with.
import { Segment } from '@ipc-course/shim';
import { ControlledRunError, type Problem } from '../failure-class.ts';
import { uniqueSegmentName } from '../segment-names.ts';
import { exploreSchedules, type ActorResult, type ControlledScenario } from './explore.ts';

export type { ActorResult };

/** A scenario over one fresh segment per run, unlinked after the run. */
export interface SegmentScenario {
  /** The module whose exports the actors run. */
  scenarios: URL;
  segmentBytes: number;
  /** Lays out the shared objects in a run's fresh segment (on the test's thread, before any actor runs). */
  init?(segment: Segment): void;
  /** Each actor gets `{ segment: <name>, ...args }`. */
  actors: Array<{
    name: string;
    kind: 'worker' | 'process';
    scenario: string;
    args?: Record<string, unknown>;
  }>;
  /** After a run in which every actor finished: what is wrong (with its class, if it has one), or null. */
  check(outcomes: ActorResult[], segment: Segment): string | Problem | null;
  /**
   * Smaller versions (smallest first): the same actors with other arguments
   * (fewer rounds) and the check that goes with them. A failure is shown in
   * the first that fails the same way under its schedule (smaller.ts).
   */
  smaller?: Array<{
    label: string;
    /** Each actor's arguments in this version, in the order of `actors`. */
    args: Array<Record<string, unknown> | undefined>;
    check(outcomes: ActorResult[], segment: Segment): string | Problem | null;
  }>;
}

export interface ControlledCase extends SegmentScenario {
  exerciseId: string;
  seed: number;
  /** Runs by default; the grade command's --runs overrides. */
  runs: number;
}

export function segmentScenario(c: SegmentScenario): ControlledScenario<Segment> {
  return {
    actors: c.actors.map((a) => ({
      name: a.name,
      kind: a.kind,
      module: c.scenarios,
      scenario: a.scenario,
    })),
    setup: setupWith(c.actors.map((a) => a.args)),
    check: (outcomes, segment) => c.check(outcomes, segment),
    teardown: (segment) => {
      segment.close();
      Segment.unlink(segment.name);
    },
    smaller: c.smaller?.map((version) => ({
      label: version.label,
      setup: setupWith(version.args),
      check: (outcomes, segment) => version.check(outcomes, segment),
    })),
  };

  function setupWith(args: Array<Record<string, unknown> | undefined>) {
    return () => {
      const segment = Segment.create(uniqueSegmentName('controlled'), c.segmentBytes);
      c.init?.(segment);
      return { state: segment, args: args.map((a) => ({ ...a, segment: segment.name })) };
    };
  }
}

export async function underControl(c: ControlledCase): Promise<{ runs: number; steps: number }> {
  const result = await exploreSchedules(segmentScenario(c), {
    exerciseId: c.exerciseId,
    seed: c.seed,
    runs: c.runs,
  });
  if (result.failure) {
    const { run: _, message, ...details } = result.failure;
    throw new ControlledRunError(message, details);
  }
  return { runs: result.runs, steps: result.steps };
}
