// A schedule written down, to replay it or a variant of it: blocks of steps,
// each block one actor running that many steps in a row, with the choices made
// at each step (a timeout fired early, a spurious wakeup, whom a notify woke).
// Replaying a script is robust to small shifts: a block whose actor cannot run
// (any more) gives way to the next block, and when the script runs out, the
// run goes on without preemption (the last actor keeps running while it can,
// else the lowest-numbered runnable actor), with no early timeouts and no
// spurious wakeups. So a shorter script is a schedule with fewer choices.
import type { Decision } from './scheduler.ts';
import type { Strategy } from './strategies.ts';

export interface ScriptStep {
  early?: boolean;
  spurious?: number;
  woke?: number[];
}

export interface Block {
  actor: number;
  steps: ScriptStep[];
}

const choicesOf = (d: Decision): ScriptStep => ({
  ...(d.early ? { early: true } : {}),
  ...(d.spurious !== undefined ? { spurious: d.spurious } : {}),
  ...(d.woke ? { woke: d.woke } : {}),
});

/** The steps of a run, one script step per actor pick. */
export function stepsOf(decisions: Decision[]): Array<{ actor: number; choices: ScriptStep }> {
  return decisions.map((d) => ({ actor: d.pick, choices: choicesOf(d) }));
}

/** Picks grouped into blocks of one actor each. */
export function toBlocks(steps: Array<{ actor: number; choices: ScriptStep }>): Block[] {
  const blocks: Block[] = [];
  for (const { actor, choices } of steps) {
    const last = blocks.at(-1);
    if (last && last.actor === actor) last.steps.push(choices);
    else blocks.push({ actor, steps: [choices] });
  }
  return blocks;
}

/**
 * Preemptions of a run: steps at which the actor of the step before could
 * still run, yet another one ran.
 */
export function preemptions(decisions: Decision[]): number {
  let count = 0;
  for (let i = 1; i < decisions.length; i++) {
    const before = decisions[i - 1].pick;
    if (decisions[i].pick !== before && decisions[i].runnable.includes(before)) count++;
  }
  return count;
}

/** Choices beyond the order of steps: timeouts fired early and spurious wakeups. */
export function extraChoices(decisions: Decision[]): number {
  return decisions.filter((d) => d.early || d.spurious !== undefined).length;
}

/** A strategy that follows `blocks`, then runs on without preemption. */
export function scriptedStrategy(blocks: Block[]): Strategy {
  let block = 0;
  let position = 0;
  let last = -1;
  /** The script step the next pick will most likely take, if any. */
  const upcoming = (): ScriptStep | undefined => {
    let b = block;
    let p = position;
    while (b < blocks.length && p >= blocks[b].steps.length) {
      b++;
      p = 0;
    }
    return blocks[b]?.steps[p];
  };
  let current: ScriptStep | undefined;
  return {
    fireEarly: () => upcoming()?.early === true,
    spurious: (blocked) => {
      const wanted = upcoming()?.spurious;
      return wanted !== undefined && blocked.includes(wanted) ? wanted : null;
    },
    pick(runnable) {
      while (
        block < blocks.length &&
        (position >= blocks[block].steps.length || !runnable.includes(blocks[block].actor))
      ) {
        block++;
        position = 0;
      }
      if (block < blocks.length) {
        current = blocks[block].steps[position++];
        last = blocks[block].actor;
        return last;
      }
      current = undefined;
      last = runnable.includes(last) ? last : Math.min(...runnable);
      return last;
    },
    wake(waiters, count) {
      const first = (current?.woke ?? []).filter((a) => waiters.includes(a));
      const rest = waiters.filter((a) => !first.includes(a)).sort((a, b) => a - b);
      return [...first, ...rest].slice(0, count);
    },
    demote: () => {},
  };
}
