// Start TypeScript in a worker thread or a child process, with the shim importable
// by its bare name there too. Each returns Node's own Worker or ChildProcess.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { native } from './binding.ts';

const workerEntry = new URL('./runtime/worker.mjs', import.meta.url);
const registerUrl = new URL('./runtime/register.mjs', import.meta.url).href;

function href(module: string | URL): string {
  return module instanceof URL
    ? module.href
    : module.startsWith('file:')
      ? module
      : new URL(module, 'file://').href;
}

/** A worker thread running `module` (a .ts or .js file URL or absolute path). */
export function startWorker(
  module: string | URL,
  workerData?: unknown,
  options: WorkerOptions = {},
): Worker {
  return new Worker(workerEntry, {
    ...options,
    workerData,
    argv: [...(options.argv ?? []), href(module)],
  });
}

let processCount = 0;

/**
 * A child process running `module` with `node --import <tsx + shim resolver>`.
 * `actor` names it for seeded schedule perturbation (default: process-<n>).
 */
export function startProcess(
  module: string | URL,
  args: string[] = [],
  options: SpawnOptions & { actor?: string } = {},
): ChildProcess {
  const { actor = `process-${processCount++}`, env = process.env, ...rest } = options;
  const file = fileURLToPath(href(module));
  return spawn(process.execPath, ['--import', registerUrl, file, ...args], {
    stdio: 'inherit',
    ...rest,
    env: { ...env, IPC_SHIM_ACTOR: actor },
  });
}

/**
 * Ends a worker even while it sleeps in a futex wait: abort its waits (EABORTED), then
 * terminate. The EABORTED may reach the worker's top level before terminate() lands, and
 * the worker then reports it as an 'error' event, which with no listener would end this
 * process: that error is the one asked for here, so it is absorbed.
 */
export async function stopWorker(worker: Worker): Promise<void> {
  worker.on('error', () => {});
  if (worker.threadId >= 0) native.abortThread(worker.threadId); // -1 once it has exited
  await worker.terminate();
}
