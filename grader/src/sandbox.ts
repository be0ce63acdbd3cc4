// Run one hidden suite in a child process group of its own, with a wall-time
// limit and a memory limit, and collect its events. Whatever the submission
// does (hang, crash, exit, spawn children that never exit), this returns, and
// every process in the group is gone afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryLimit, heapExhausted, SANDBOX_HEAP_FLAGS } from './memory-limit.ts';
import { adoptOrphans, killGroup, killStrays } from './processes.ts';
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
  /** The run was killed because a test (or the import of the submission) never returned and never yielded. */
  hung?: { phase: 'import' | 'test'; name: string; afterMs: number };
  /** Why the run was stopped for using too much memory (memory-limit.ts), if it was. */
  outOfMemory?: string;
  /** Processes the submission started that outlived the run (killed). */
  strays: number;
  /** The last lines the run printed (capped). */
  outputTail: string;
}

const childEntry = fileURLToPath(new URL('./exercise-child.ts', import.meta.url));
const OUTPUT_CAP = 8192;
/** Time past a test's own timeout before the watchdog kills the run. */
const GRACE_MS = 3000;
const POLL_MS = 250;
/** Loading the suite and the submission takes 1-3 s; past this it is stuck. */
const IMPORT_LIMIT_MS = 20_000;

/** What the beacon file (harness/beacon.ts) says the run is doing now. */
function lastBeacon(
  beacon: string,
): { phase: 'import' | 'test'; name: string; timeoutMs?: number; at: number } | undefined {
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

/** Sandboxes running now: their pids are our children but not strays. */
const running = new Set<number>();

export function runInSandbox(suite: SuiteRun, wallTimeMs: number): Promise<SandboxResult> {
  adoptOrphans();
  const result: SandboxResult = {
    tests: [],
    rows: [],
    errors: [],
    timedOut: false,
    crashed: false,
    outputTail: '',
    strays: 0,
  };
  const beaconDir = mkdtempSync(join(tmpdir(), 'ipcc-beacon-'));
  const run: SuiteRun = { ...suite, beacon: join(beaconDir, 'started') };
  const memory = createMemoryLimit();
  // The trusted copy's own child entry, so a rewritten grader/src in
  // the repository is never what runs the suite (integrity.ts).
  const fromCopy = (path: string) => (run.trustedRoot ? join(run.trustedRoot, path) : undefined);
  // No tsx loader: Node strips the types of grader/src itself, and vitest/node
  // (hundreds of modules) loads about four times faster without tsx's hooks.
  const node = [
    process.execPath,
    ...SANDBOX_HEAP_FLAGS,
    fromCopy('grader/src/exercise-child.ts') ?? childEntry,
    JSON.stringify(run),
  ];
  const child = spawn(
    '/bin/sh',
    ['-c', `${memory.shellJoin || ':'} && exec "$@"`, 'sandbox', ...node],
    {
      detached: true, // its own process group: one kill ends everything it started
      cwd: run.trustedRoot ?? run.visible?.root, // relative writes land in the private copy, not the repository
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, IPC_SHIM_PERTURB: '', ...run.env },
    },
  );
  if (child.pid !== undefined) running.add(child.pid);
  if (child.pid !== undefined) memory.watch(child.pid, () => killGroup(child.pid));
  const keep = (chunk: Buffer) =>
    (result.outputTail = (result.outputTail + chunk.toString()).slice(-OUTPUT_CAP));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let done = false;
  // A test whose thread never yields (a sync infinite loop) cannot time itself
  // out; past its own timeout plus grace, kill the run and say which test hung.
  // The same for an import of the submission that never finishes.
  const watchdog = setInterval(() => {
    const now = lastBeacon(run.beacon!);
    if (!now || (now.phase === 'test' && result.rows.some((r) => r.name === now.name))) return;
    const limit =
      now.phase === 'import' ? IMPORT_LIMIT_MS : (now.timeoutMs || DEFAULT_TIMEOUT_MS) + GRACE_MS;
    if (Date.now() - now.at > limit) {
      result.hung = { phase: now.phase, name: now.name, afterMs: limit };
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
      killGroup(child.pid); // children the submission left behind in the group
      if (child.pid !== undefined) running.delete(child.pid);
      result.strays = killStrays(running); // and those that left the group
      result.outOfMemory = memory.release() ?? heapExhausted(result.outputTail);
      rmSync(beaconDir, { recursive: true, force: true });
      result.crashed = !done && !result.timedOut && !result.hung;
      resolve(result);
    });
  });
}
