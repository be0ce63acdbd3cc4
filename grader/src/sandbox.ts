// Run one hidden suite in a child process group of its own, with a wall-time
// limit and a memory limit, and collect its events. Whatever the submission
// does (hang, crash, exit, spawn children that never exit), this returns, and
// every process in the group is gone afterwards.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ResultRow, SuiteRun } from './run-vitest.ts';

export type ChildMessage =
  | { kind: 'tests'; names: string[] }
  | { kind: 'result'; row: ResultRow }
  | { kind: 'error'; message: string }
  | { kind: 'done' };

export interface SandboxResult {
  tests: string[];
  rows: ResultRow[];
  errors: string[];
  /** The wall-time limit ended the run before the suite did. */
  timedOut: boolean;
  /** The child ended without saying "done" (crash, out of memory, killed). */
  crashed: boolean;
  /** The last lines the run printed (capped). */
  outputTail: string;
}

const childEntry = fileURLToPath(new URL('./exercise-child.ts', import.meta.url));
const registerShim = new URL('../../native/runtime/register.mjs', import.meta.url).href;
const OUTPUT_CAP = 8192;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

export function runInSandbox(run: SuiteRun, wallTimeMs: number): Promise<SandboxResult> {
  const result: SandboxResult = { tests: [], rows: [], errors: [], timedOut: false, crashed: false, outputTail: '' };
  const child = spawn(process.execPath, ['--max-old-space-size=2048', '--import', registerShim, childEntry, JSON.stringify(run)], {
    detached: true, // its own process group: one kill ends everything it started
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, IPC_SHIM_PERTURB: '' },
  });
  const keep = (chunk: Buffer) => (result.outputTail = (result.outputTail + chunk.toString()).slice(-OUTPUT_CAP));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let done = false;
  child.on('message', (message: ChildMessage) => {
    if (message.kind === 'tests') result.tests = message.names;
    else if (message.kind === 'result') result.rows.push(message.row);
    else if (message.kind === 'error') result.errors.push(message.message);
    else done = true;
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      result.timedOut = true;
      killGroup(child.pid);
    }, wallTimeMs);
    child.on('close', () => {
      clearTimeout(timer);
      killGroup(child.pid); // children the submission left behind
      result.crashed = !done && !result.timedOut;
      resolve(result);
    });
  });
}
