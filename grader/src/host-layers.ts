// What this host offers for confining untrusted processes, found out once per
// grader process by trying it: a uid of their own needs a root grader;
// namespaces need bubblewrap and unprivileged user namespaces (containers
// often block them); limits need prlimit(1).
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

export interface HostLayers {
  root: boolean;
  /** bubblewrap's path when a probe sandbox started, else why not. */
  bwrap: { path: string } | { missing: string };
  prlimit?: string;
}

/** A uid with no account anywhere, for the probe (the gradings' own uids are allocated later). */
const PROBE_UID = 65534;

function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':').concat(['/usr/bin', '/bin']))
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // not in this folder
    }
  return undefined;
}

function probeBubblewrap(root: boolean): HostLayers['bwrap'] {
  const path = onPath('bwrap');
  if (!path) return { missing: 'bubblewrap is not installed (Debian: apt-get install bubblewrap)' };
  const probe = spawnSync(
    path,
    [
      '--unshare-user',
      '--unshare-net',
      '--unshare-ipc',
      '--unshare-uts',
      '--die-with-parent',
      '--new-session',
      '--ro-bind',
      '/',
      '/',
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--size',
      '1048576',
      '--tmpfs',
      '/tmp',
      'true',
    ],
    // As root the sandboxes run as an unprivileged uid: probe as one.
    { encoding: 'utf8', timeout: 10_000, ...(root ? { uid: PROBE_UID, gid: PROBE_UID } : {}) },
  );
  if (probe.status === 0) return { path };
  const why = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim();
  return { missing: `bubblewrap cannot make namespaces here (${why})` };
}

let found: HostLayers | undefined;

export function hostLayers(): HostLayers {
  if (found) return found;
  const root = process.getuid?.() === 0;
  found = { root, bwrap: probeBubblewrap(root), prlimit: onPath('prlimit') };
  return found;
}
