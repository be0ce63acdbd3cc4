// Run one hidden suite in a child process group of its own, with a wall-time
// limit and a memory limit, and collect its events. Whatever the submission
// does (hang, crash, exit, spawn children that never exit), this returns, and
// every process in the group is gone afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TIMEOUT_MS, type ResultRow, type SuiteRun } from './run-vitest.ts';

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
  /** A test that never returned: its own timeout could not fire (the thread never yielded), so the run was killed. */
  hung?: { name: string; afterMs: number };
  /** The last lines the run printed (capped). */
  outputTail: string;
}

const childEntry = fileURLToPath(new URL('./exercise-child.ts', import.meta.url));
const registerShim = new URL('../../native/runtime/register.mjs', import.meta.url).href;
const OUTPUT_CAP = 8192;
/** Time past a test's own timeout before the watchdog kills the run. */
const GRACE_MS = 3000;
const POLL_MS = 250;

/** The test the beacon file says started last, if any. */
function lastStarted(beacon: string): { name: string; timeoutMs: number; at: number } | undefined {
  let text = '';
  try {
    text = readFileSync(beacon, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.trimEnd().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    return undefined;
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

export function runInSandbox(suite: SuiteRun, wallTimeMs: number): Promise<SandboxResult> {
  const result: SandboxResult = { tests: [], rows: [], errors: [], timedOut: false, crashed: false, outputTail: '' };
  const beaconDir = mkdtempSync(join(tmpdir(), 'ipcc-beacon-'));
  const run: SuiteRun = { ...suite, beacon: join(beaconDir, 'started') };
  const child = spawn(process.execPath, ['--max-old-space-size=2048', '--import', registerShim, childEntry, JSON.stringify(run)], {
    detached: true, // its own process group: one kill ends everything it started
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, IPC_SHIM_PERTURB: '' },
  });
  const keep = (chunk: Buffer) => (result.outputTail = (result.outputTail + chunk.toString()).slice(-OUTPUT_CAP));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let done = false;
  // A test whose thread never yields (a sync infinite loop) cannot time itself
  // out; past its own timeout plus grace, kill the run and say which test hung.
  const watchdog = setInterval(() => {
    const started = lastStarted(run.beacon!);
    if (!started || result.rows.some((r) => r.name === started.name)) return;
    const limit = (started.timeoutMs || DEFAULT_TIMEOUT_MS) + GRACE_MS;
    if (Date.now() - started.at > limit) {
      result.hung = { name: started.name, afterMs: limit };
      killGroup(child.pid);
    }
  }, POLL_MS);
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
      clearInterval(watchdog);
      killGroup(child.pid); // children the submission left behind
      rmSync(beaconDir, { recursive: true, force: true });
      result.crashed = !done && !result.timedOut && !result.hung;
      resolve(result);
    });
  });
}
