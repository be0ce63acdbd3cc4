// Every process that runs submission code is started here, and only here.
//
// The trusted side of a grading (vitest, the suites' checks, the scorer) never
// loads submission code: it starts untrusted processes (actors, the worker host,
// the remote-object host) and reads back data. This file decides what those
// processes get: the environment is an allow-list, and the confinement layers
// the grader chose for this grading (IPC_REALM, set by grader/src) are applied.
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const registerUrl = new URL('../../native/runtime/register.mjs', import.meta.url).href;

/** Settings an untrusted process may see: the shim's and the scheduler's, never the grader's secrets. */
const PASSED_PREFIXES = ['IPC_SHIM_', 'IPC_SCHEDULE_'];
const PASSED_NAMES = ['IPC_SUBMISSION_DIR', 'IPC_SHM_DIR', 'PATH', 'LANG', 'TZ'];

export interface UntrustedOptions {
  /** Names the process for seeded schedule perturbation (IPC_SHIM_ACTOR). */
  actor?: string;
  /** Extra variables, added after the allow-list (they must not carry secrets). */
  env?: Record<string, string | undefined>;
  stdio?: StdioOptions;
  /** Extra node flags (before the entry module). */
  nodeFlags?: string[];
  /** The IPC channel's encoding: 'advanced' (structured clone) keeps Infinity, NaN and typed arrays. */
  serialization?: 'json' | 'advanced';
}

/** The allow-listed environment of an untrusted process. */
export function untrustedEnvironment(
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (PASSED_NAMES.includes(name) || PASSED_PREFIXES.some((p) => name.startsWith(p)))
      env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * Starts `node --import <tsx + shim resolver> module args...` as an untrusted
 * process. Returns Node's ChildProcess; its pid is the process to kill.
 */
export function spawnUntrusted(
  module: URL,
  args: string[],
  options: UntrustedOptions = {},
): ChildProcess {
  const env = untrustedEnvironment({ ...options.env, IPC_SHIM_ACTOR: options.actor });
  const nodeArgs = [
    ...(options.nodeFlags ?? []),
    '--import',
    registerUrl,
    fileURLToPath(module),
    ...args,
  ];
  return spawn(process.execPath, nodeArgs, {
    stdio: options.stdio ?? 'ignore',
    env,
    serialization: options.serialization,
  });
}
