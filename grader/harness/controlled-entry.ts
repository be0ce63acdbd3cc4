// Entry of a pooled actor of controlled scheduling (schedule/pool.ts): attach
// to a slot of the control segment, import the scenario module once, then run
// one scenario per run the scheduler starts, under its control, until it says
// to shut down. Reused across runs, because starting a worker or a process
// costs tens of milliseconds and a controlled test makes hundreds of runs.
import { isMainThread, workerData } from 'node:worker_threads';
import { ControlledActor } from '../../native/internal.ts';

interface PoolTask {
  control: string;
  slot: number;
  module: string;
  after: number;
}
interface RunArgs {
  scenario: string;
  args: unknown;
}

const task: PoolTask = isMainThread ? JSON.parse(process.argv[2]) : workerData;
const actor = new ControlledActor(task.control, task.slot);
const scenarios = (await import(task.module)) as Record<string, (args: unknown) => unknown>;

for (let next = actor.nextRun(task.after); next !== null; next = actor.nextRun(next.run)) {
  const { scenario, args } = next.args as RunArgs;
  let outcome: unknown;
  try {
    const run = scenarios[scenario];
    if (typeof run !== 'function') throw new Error(`no scenario "${scenario}" in ${task.module}`);
    actor.begin();
    outcome = { kind: 'result', value: (await run(args)) ?? null };
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    outcome = { kind: 'error', message: String(message ?? error), code };
  }
  actor.finish(outcome);
}
actor.close();
if (isMainThread) process.exit(0);
