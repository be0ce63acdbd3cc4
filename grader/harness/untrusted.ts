// Every process that runs submission code is started here, and only here.
//
// The trusted side of a grading (vitest, the suites' checks, the scorer) never
// loads submission code: it starts untrusted processes (actors, the worker host,
// the remote-object host) and reads back data. This file decides what those
// processes get: the environment is an allow-list, and the confinement layers
// the grader chose for this grading (IPC_REALM, set by grader/src) are applied.
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { confinedCommand } from './confinement.ts';
import { currentRealm, type Realm } from './realm-description.ts';

const registerUrl = new URL('../../native/runtime/register.mjs', import.meta.url);

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

/** A folder's path without trailing separators. */
const bare = (folder: string) => folder.replace(/[\\/]+$/, '');

/** True if `path` is `folder` or lies inside it. */
const within = (path: string, folder: string) =>
  path === bare(folder) || path.startsWith(bare(folder) + sep);

/**
 * Where an untrusted process finds a module the trusted side names: an actor
 * entry or a scenario module under the trusted copy maps to the same path in
 * the realm's runtime tree (the trusted copy itself is out of reach there); a
 * submission module is already where the untrusted side reads it. Without a
 * realm, every URL stays as it is.
 */
export function toUntrusted(module: URL, realm: Realm | undefined = currentRealm()): URL {
  if (!realm) return module;
  const path = fileURLToPath(module);
  if (within(path, realm.runtime) || within(path, realm.submission)) return module;
  if (!within(path, realm.trusted))
    throw new Error(
      `${path} is outside the grading's runtime tree: an untrusted process cannot load it`,
    );
  return pathToFileURL(bare(realm.runtime) + path.slice(bare(realm.trusted).length));
}

/**
 * Starts `node --import <tsx + shim resolver> module args...` as an untrusted
 * process, inside the grading's realm when there is one (IPC_REALM): its uid,
 * its limits, its namespaces, its scratch folders. Returns Node's
 * ChildProcess; its pid is the process to kill (prlimit and bwrap exec or wait
 * in place, so killing it ends the whole realm process).
 */
export function spawnUntrusted(
  module: URL,
  args: string[],
  options: UntrustedOptions = {},
): ChildProcess {
  const realm = currentRealm();
  const env = untrustedEnvironment({ ...options.env, IPC_SHIM_ACTOR: options.actor });
  const nodeArgs = [
    ...(options.nodeFlags ?? []),
    '--import',
    toUntrusted(registerUrl, realm).href,
    fileURLToPath(toUntrusted(module, realm)),
    ...args,
  ];
  const stdio = options.stdio ?? 'ignore';
  const serialization = options.serialization;
  if (!realm) return spawn(process.execPath, nodeArgs, { stdio, env, serialization });
  const command = confinedCommand(realm, process.execPath, nodeArgs);
  return spawn(command.file, command.args, {
    stdio,
    serialization,
    env: { ...env, ...command.env },
    cwd: command.cwd,
    uid: command.uid,
    gid: command.gid,
  });
}
