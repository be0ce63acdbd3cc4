// Who runs next. A strategy sees only the actors that could run at a step and
// answers with one of them; everything it decides comes from its seed, so a
// seed replays the same choices.
//
//   random  a uniform random walk over the runnable actors.
//   pct     Probabilistic Concurrency Testing (Burckhardt et al., ASPLOS 2010):
//           random distinct priorities, the highest-priority runnable actor
//           runs, and at d-1 random "change points" the running actor drops
//           below everyone. A bug of depth d among n actors and k steps is
//           found with probability at least 1/(n * k^(d-1)) per run.
//   mixed   the two in turn, run by run (see explore.ts).
import { seededRandom } from '@ipc-course/shim';

export interface Strategy {
  /** One of `runnable` (never empty). `contested` numbers this step among those where more than one actor could run (from 1). */
  pick(runnable: number[], contested: number): number;
  /** An actor that keeps reading without writing (it spins, or yielded): give the others a turn. */
  demote(actor: number): void;
  /** Which `count` of the waiters a notify wakes (futex(2) promises no order). */
  wake(waiters: number[], count: number): number[];
  /** A blocked actor to wake spuriously now, as futex(2) allows, or null. */
  spurious(blocked: number[]): number | null;
  /** Whether the earliest pending timeout fires now, while some actor could still run. */
  fireEarly(): boolean;
}

/** Chance per step that a pending timeout fires while some actor could still run. */
const EARLY_TIMEOUT_RATE = 0.1;

export interface StrategyOptions {
  actors: number;
  seed: number;
  /** pct: bug depth d (d - 1 priority change points). */
  depth: number;
  /** pct: expected contested steps k of a run, to place change points in. */
  expectedSteps: number;
  /** Probability of a spurious wakeup at a step where someone is blocked (0: never). */
  spuriousRate: number;
}

function shuffled(items: number[], random: () => number): number[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function makeStrategy(name: 'random' | 'pct', options: StrategyOptions): Strategy {
  const random = seededRandom(options.seed);
  const common = {
    wake: (waiters: number[], count: number) => shuffled(waiters, random).slice(0, count),
    spurious: (blocked: number[]) =>
      blocked.length > 0 && options.spuriousRate > 0 && random() < options.spuriousRate
        ? blocked[Math.floor(random() * blocked.length)]
        : null,
    fireEarly: () => random() < EARLY_TIMEOUT_RATE,
  };
  if (name === 'random') {
    return {
      ...common,
      pick: (runnable) => runnable[Math.floor(random() * runnable.length)],
      demote: () => {},
    };
  }
  const { actors, depth } = options;
  // Initial priorities depth .. depth + n - 1; change point j lowers the runner to depth - 1 - j.
  const priority = shuffled(
    [...Array(actors).keys()].map((i) => depth + i),
    random,
  );
  const changes = new Map<number, number>();
  const k = Math.max(options.expectedSteps, depth);
  while (changes.size < Math.min(depth - 1, k)) {
    const step = 1 + Math.floor(random() * k);
    if (!changes.has(step)) changes.set(step, depth - 1 - changes.size);
  }
  let lowest = 0;
  return {
    ...common,
    pick(runnable, contested) {
      const top = () =>
        runnable.reduce((best, actor) => (priority[actor] > priority[best] ? actor : best));
      const lowered = runnable.length > 1 ? changes.get(contested) : undefined;
      if (lowered !== undefined) {
        priority[top()] = lowered;
        lowest = Math.min(lowest, lowered);
      }
      return top();
    },
    demote(actor) {
      priority[actor] = --lowest;
    },
  };
}
