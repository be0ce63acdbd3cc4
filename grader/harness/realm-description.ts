// The realm one grading's untrusted processes run in. The trusted side
// (grader/src/realm.ts) builds it and describes it here, as JSON in IPC_REALM,
// to every trusted process of the grading; spawnUntrusted reads it back.
// Without IPC_REALM (npm test, `--sandbox off`) untrusted processes start plain.

export interface Realm {
  /** The trusted copy whose module URLs map into `runtime` (toUntrusted). */
  trusted: string;
  /** The untrusted runtime tree: the shim, grader/harness, the exercise's scenario modules, tsx. Read-only. */
  runtime: string;
  /** The staged submission (IPC_SUBMISSION_DIR). Read-only. */
  submission: string;
  /** Scratch HOME and working folder: the one place an untrusted process writes files. */
  home: string;
  /** Private /tmp (TMPDIR) when there are no namespaces; a size-limited tmpfs when the grader is root. */
  tmp: string;
  /** Private segment folder (IPC_SHM_DIR), shared with the trusted side so futexes meet. */
  shm: string;
  /** The grading's own unprivileged uid and gid (grader running as root), if any. */
  user?: { uid: number; gid: number };
  /** prlimit(1) bounds on every untrusted process. */
  limits?: { prlimit: string; cpuSeconds: number; processes?: number };
  /**
   * bubblewrap: mount, network, IPC, UTS namespaces (no PID namespace: see confinement.ts); only `readOnly` and
   * the realm's folders are visible. /tmp is `tmp` when that is a size-limited
   * mount already, else a fresh tmpfs of `tmpBytes`.
   */
  namespaces?: { bwrap: string; readOnly: string[]; tmpBytes?: number };
}

export const REALM_VARIABLE = 'IPC_REALM';

/** The realm this process's grading runs in, or undefined when there is none. */
export function currentRealm(env: NodeJS.ProcessEnv = process.env): Realm | undefined {
  const text = env[REALM_VARIABLE];
  if (!text) return undefined;
  const realm = JSON.parse(text) as Realm;
  for (const key of ['trusted', 'runtime', 'submission', 'home', 'tmp', 'shm'] as const)
    if (typeof realm[key] !== 'string' || !realm[key].startsWith('/'))
      throw new Error(`${REALM_VARIABLE}: "${key}" must be an absolute path`);
  return realm;
}
