// Seeds for race checks. One seed per run: IPC_GRADER_SEED if given (replay),
// else a random one. Every failure carries it, and the command that replays it,
// as properties of the error (what the grader reads: vitest passes an error's
// own properties on) and as a line of its message (what a person reads).
import type { TestContext } from 'vitest';
export function runSeed(): number {
  const given = process.env.IPC_GRADER_SEED;
  if (given !== undefined && given !== '') return Number(given) >>> 0;
  const seed = Math.floor(Math.random() * 2 ** 31);
  process.env.IPC_GRADER_SEED = String(seed);
  return seed;
}

export function replayCommand(exerciseId: string, seed: number): string {
  return `npm run grade -- <submission> --exercise ${exerciseId} --seed ${seed}`;
}

/** What a failed seeded test's error carries beside its message. */
export interface SeededFailure {
  seed: number;
  /** `<submission>` stands for the submission's folder. */
  replay: string;
}

/** The line a failure's message ends with, for a person reading vitest's output. */
export function seedLine(failure: SeededFailure): string {
  return `\n  seed=${failure.seed}  replay: ${failure.replay}`;
}

/**
 * Wraps a test body: the body gets the run's seed (and vitest's test context),
 * and any failure gets the seed and the replay command (a controlled run's own
 * command, which names its strategy and run, when it has one). Use as
 * `test('name', { timeout }, seeded(ID, async (seed) => { ... }))`, keeping the
 * name a literal so the grader can list tests without running them.
 */
export function seeded(
  exerciseId: string,
  body: (seed: number, context: TestContext) => Promise<void> | void,
): (context: TestContext) => Promise<void> {
  return async (context) => {
    const seed = runSeed();
    try {
      await body(seed, context);
    } catch (error) {
      if (error instanceof Error) {
        const exact = (error as { controlled?: { replay?: unknown } }).controlled?.replay;
        const failure: SeededFailure = {
          seed,
          replay: typeof exact === 'string' && exact ? exact : replayCommand(exerciseId, seed),
        };
        Object.assign(error, failure);
        // A controlled run's story already ends with its replay command.
        if (!exact) error.message += seedLine(failure);
      }
      throw error;
    }
  };
}
