// Seeds for race checks. One seed per run: IPC_GRADER_SEED if given (replay),
// else a random one. Every failure message carries it with the command that
// replays it.
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

/**
 * Wraps a test body: the body gets the run's seed (and vitest's test context),
 * and any failure gets the seed and the replay command appended. Use as
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
      if (error instanceof Error)
        error.message += `\n  seed=${seed}  replay: ${replayCommand(exerciseId, seed)}`;
      throw error;
    }
  };
}
