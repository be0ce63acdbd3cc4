// Schedule perturbation: with IPC_SHIM_PERTURB=p (0 < p <= 1), every shim call
// yields the CPU or pauses for a few microseconds with probability p, so races
// that need an unlucky interleaving show up far more often.
//
// Decisions are seeded: IPC_SHIM_SEED=n (printed when chosen at random) gives
// each thread its own stream, derived from n and the thread's actor name
// (IPC_SHIM_ACTOR for a child process, else the worker's threadId), so the same
// seed replays the same decisions per thread. The OS still schedules threads,
// so a replay makes a race likely again, not certain.
import { isMainThread, threadId } from 'node:worker_threads';
import { native } from './binding.ts';

export interface PerturbSettings {
  probability: number;
  seed: number;
  actor: string;
}

/** A 32-bit hash of a string (FNV-1a), to derive one stream per actor. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: small, fast, and good enough to pick yields. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readSettings(env: NodeJS.ProcessEnv): PerturbSettings | null {
  const raw = env.IPC_SHIM_PERTURB;
  if (raw === undefined || raw === '' || raw === '0') return null;
  const probability = Number(raw);
  if (!(probability > 0 && probability <= 1)) {
    throw new Error(`IPC_SHIM_PERTURB must be a probability in (0, 1], got "${raw}"`);
  }
  const seedText = env.IPC_SHIM_SEED;
  const seed = seedText ? Number(seedText) >>> 0 : Math.floor(Math.random() * 2 ** 31);
  if (!seedText) env.IPC_SHIM_SEED = String(seed); // children and workers inherit the same seed
  const actor = env.IPC_SHIM_ACTOR ?? `thread-${threadId}`;
  return { probability, seed, actor };
}

export const perturbSettings: PerturbSettings | null = readSettings(process.env);

export type PerturbDecision = 'run' | 'yield' | { pauseMicros: number };

/** The stream of decisions one actor makes: the same (seed, actor) gives the same stream. */
export function decisionStream(
  seed: number,
  actor: string,
  probability: number,
): () => PerturbDecision {
  const random = seededRandom(seed ^ hash(actor));
  return () => {
    if (random() >= probability) return 'run';
    return random() < 0.6 ? 'yield' : { pauseMicros: 1 + Math.floor(random() * 200) };
  };
}

/** Called at every shim operation when perturbation is on. */
export const perturbPoint: (() => void) | null = (() => {
  const settings = perturbSettings;
  if (settings === null) return null;
  if (isMainThread && !process.env.IPC_SHIM_ACTOR) {
    process.stderr.write(
      `[ipc-shim] schedule perturbation p=${settings.probability} seed=${settings.seed}` +
        ` (replay: IPC_SHIM_PERTURB=${settings.probability} IPC_SHIM_SEED=${settings.seed})\n`,
    );
  }
  const next = decisionStream(settings.seed, settings.actor, settings.probability);
  return () => {
    const decision = next();
    if (decision === 'run') return;
    if (decision === 'yield') native.yieldThread();
    else native.sleepMicros(decision.pauseMicros);
  };
})();
