// The command line that starts one untrusted process inside its realm:
//   prlimit (CPU seconds, process count) -> bwrap (namespaces) -> node ...
// run as the realm's uid when there is one. Each layer is present only when
// the trusted side found it works on this host (grader/src/host-layers.ts).
import { lstatSync, readlinkSync } from 'node:fs';
import type { Realm } from './realm-description.ts';

export interface ConfinedCommand {
  file: string;
  args: string[];
  uid?: number;
  gid?: number;
  cwd: string;
  /** Variables the realm sets, added to the allow-listed environment. */
  env: Record<string, string>;
}

/** bwrap's view of a host path: the same symlink (merged /usr: /lib -> usr/lib) or a read-only bind. */
function readOnlyView(path: string): string[] {
  try {
    if (lstatSync(path).isSymbolicLink()) return ['--symlink', readlinkSync(path), path];
  } catch {
    return [];
  }
  return ['--ro-bind', path, path];
}

function bubblewrap(realm: Realm, namespaces: NonNullable<Realm['namespaces']>): string[] {
  return [
    namespaces.bwrap,
    '--unshare-user',
    // No PID namespace: a grading's processes exchange pids (20-ports names a
    // port by its owner's pid, and checks the owner is alive), and each
    // spawnUntrusted would get a namespace of its own, where pids mean nothing
    // to the others. The uid layer keeps signals from the grader instead.
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--die-with-parent',
    '--new-session',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    // /tmp first: the realm's folders may lie under /tmp, and a later mount would hide them.
    ...(namespaces.tmpBytes === undefined
      ? ['--bind', realm.tmp, '/tmp']
      : ['--size', String(namespaces.tmpBytes), '--tmpfs', '/tmp']),
    ...namespaces.readOnly.flatMap(readOnlyView),
    '--ro-bind',
    realm.runtime,
    realm.runtime,
    '--ro-bind',
    realm.submission,
    realm.submission,
    '--bind',
    realm.home,
    realm.home,
    // The same path inside and out: the trusted side maps the same files, so futexes meet.
    '--bind',
    realm.shm,
    realm.shm,
    // And as /dev/shm, so shm_open (a process that unset IPC_SHM_DIR) fills the same limited folder.
    '--bind',
    realm.shm,
    '/dev/shm',
    '--chdir',
    realm.home,
    '--',
  ];
}

export function confinedCommand(realm: Realm, node: string, nodeArgs: string[]): ConfinedCommand {
  let argv = [node, ...nodeArgs];
  if (realm.namespaces) argv = [...bubblewrap(realm, realm.namespaces), ...argv];
  if (realm.limits) {
    const { prlimit, cpuSeconds, processes } = realm.limits;
    const bounds = [`--cpu=${cpuSeconds}`];
    if (processes !== undefined) bounds.push(`--nproc=${processes}`);
    argv = [prlimit, ...bounds, '--', ...argv];
  }
  return {
    file: argv[0],
    args: argv.slice(1),
    uid: realm.user?.uid,
    gid: realm.user?.gid,
    cwd: realm.home,
    env: {
      HOME: realm.home,
      TMPDIR: realm.namespaces ? '/tmp' : realm.tmp,
      IPC_SHM_DIR: realm.shm,
      IPC_SUBMISSION_DIR: realm.submission,
    },
  };
}
