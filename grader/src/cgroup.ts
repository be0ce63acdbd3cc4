// A control group of its own for one grading, where this machine lets the
// grader make one: the kernel then bounds the memory and the number of tasks of
// every process the submission starts, and counts its out-of-memory kills.
//
// Two layouts exist. cgroup v2 has one tree (`0::/path` in /proc/self/cgroup)
// with `memory.max`, `pids.max` and `memory.events`; a child gets a controller
// only if its parent lists it in `cgroup.subtree_control`. cgroup v1 mounts one
// tree per controller (`N:memory:/path`) with `memory.limit_in_bytes`,
// `pids.max` and `memory.oom_control`. Either way the new group sits below the
// grader's own, so it can never exceed what the grader itself was given.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export interface Cgroup {
  /** 'cgroup v2' or 'cgroup v1'. */
  kind: string;
  /** The folders to write a pid into (cgroup.procs), one per controller tree. */
  procsFiles: string[];
  /** Out-of-memory kills inside the group so far. */
  oomKills(): number;
  /** Every process still in the group. */
  pids(): number[];
  /** Removes the group if its processes have all ended; true when it is gone. */
  remove(): boolean;
}

interface Mount {
  /** The folder the tree is mounted on. */
  point: string;
  /** The tree's folder seen at that mount point (not "/" inside a container). */
  root: string;
}

/** Where each cgroup tree is mounted, from /proc/self/mountinfo: 'v2' or a v1 controller name. */
function cgroupMounts(): Map<string, Mount> {
  const mounts = new Map<string, Mount>();
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    // "id parent major:minor root point options ... - fstype source superoptions"
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const fields = left.split(' ');
    const [fstype, , superOptions] = right.split(' ');
    const mount = { root: fields[3], point: fields[4] };
    if (fstype === 'cgroup2') mounts.set('v2', mount);
    if (fstype === 'cgroup')
      for (const option of superOptions.split(',')) mounts.set(option, mount);
  }
  return mounts;
}

/** This process's folder in a tree, given its path there from /proc/self/cgroup. */
function folderOf(mount: Mount, path: string): string {
  const inside =
    mount.root !== '/' && path.startsWith(mount.root) ? path.slice(mount.root.length) : path;
  return join(mount.point, inside);
}

/** This process's cgroup folders: `v2`, `memory`, `pids` (those that exist). */
function ownFolders(): Map<string, string> {
  const mounts = cgroupMounts();
  const folders = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n')) {
    // "hierarchy-id:controllers:path"; v2 is "0::path".
    const [id, controllers, ...rest] = line.split(':');
    const path = rest.join(':');
    const names = id === '0' && controllers === '' ? ['v2'] : controllers.split(',');
    for (const name of names) {
      const mount = mounts.get(name);
      if (mount) folders.set(name, folderOf(mount, path));
    }
  }
  return folders;
}

const readNumberAfter = (file: string, key: string): number => {
  try {
    const match = readFileSync(file, 'utf8').match(new RegExp(`^${key} (\\d+)$`, 'm'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
};

const readPids = (procsFile: string): number[] => {
  try {
    return readFileSync(procsFile, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/** Removes each folder that is empty; true when none is left. */
function removeFolders(folders: string[]): boolean {
  let removed = true;
  for (const folder of folders) {
    try {
      rmdirSync(folder);
    } catch (error) {
      // EBUSY while a task has not finished exiting
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') removed = false;
    }
  }
  return removed;
}

/** A v2 child with memory.max and pids.max, if the parent delegates both controllers. */
function createV2(parent: string, name: string, memoryBytes: number, maxTasks: number): Cgroup {
  const enabled = readFileSync(join(parent, 'cgroup.subtree_control'), 'utf8');
  if (!/\bmemory\b/.test(enabled) || !/\bpids\b/.test(enabled)) {
    // Fails (EBUSY) when the parent holds processes itself, as a login session's does.
    writeFileSync(join(parent, 'cgroup.subtree_control'), '+memory +pids');
  }
  const folder = join(parent, name);
  mkdirSync(folder);
  try {
    writeFileSync(join(folder, 'memory.max'), String(memoryBytes));
    if (existsSync(join(folder, 'memory.swap.max')))
      writeFileSync(join(folder, 'memory.swap.max'), '0');
    writeFileSync(join(folder, 'pids.max'), String(maxTasks));
  } catch (error) {
    removeFolders([folder]);
    throw error;
  }
  return {
    kind: 'cgroup v2',
    procsFiles: [join(folder, 'cgroup.procs')],
    oomKills: () => readNumberAfter(join(folder, 'memory.events'), 'oom_kill'),
    pids: () => readPids(join(folder, 'cgroup.procs')),
    remove: () => removeFolders([folder]),
  };
}

/** A v1 child in the memory tree (and the pids tree, where mounted). */
function createV1(
  memoryParent: string,
  pidsParent: string | undefined,
  name: string,
  memoryBytes: number,
  maxTasks: number,
): Cgroup {
  const memory = join(memoryParent, name);
  const pids = pidsParent ? join(pidsParent, name) : undefined;
  const folders = pids ? [memory, pids] : [memory];
  for (const folder of folders) mkdirSync(folder);
  try {
    writeFileSync(join(memory, 'memory.limit_in_bytes'), String(memoryBytes));
    // With swap accounting, memory+swap gets the same bound, so nothing spills to swap.
    if (existsSync(join(memory, 'memory.memsw.limit_in_bytes')))
      writeFileSync(join(memory, 'memory.memsw.limit_in_bytes'), String(memoryBytes));
    if (pids) writeFileSync(join(pids, 'pids.max'), String(maxTasks));
  } catch (error) {
    removeFolders(folders);
    throw error;
  }
  return {
    kind: 'cgroup v1',
    procsFiles: folders.map((folder) => join(folder, 'cgroup.procs')),
    oomKills: () => readNumberAfter(join(memory, 'memory.oom_control'), 'oom_kill'),
    pids: () => [...new Set(folders.flatMap((folder) => readPids(join(folder, 'cgroup.procs'))))],
    remove: () => removeFolders(folders),
  };
}

/** Removes groups left by graders that died before cleaning up (empty ones only). */
function sweepLeftovers(parent: string, prefix: string): void {
  for (const entry of readdirSync(parent)) {
    const owner = Number(entry.slice(prefix.length).split('-')[0]);
    if (!entry.startsWith(prefix) || !Number.isInteger(owner)) continue;
    try {
      process.kill(owner, 0);
    } catch (error) {
      // ESRCH: its owner is gone (EPERM: alive, under another uid). Left alone while busy.
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') removeFolders([join(parent, entry)]);
    }
  }
}

export const CGROUP_PREFIX = 'ipc-course-grading-';

/**
 * Creates a group named `${CGROUP_PREFIX}<this pid>-<n>` below this process's
 * own, bounded to `memoryBytes` and `maxTasks`. Throws when this machine does
 * not let the grader (no memory controller, no write access, v2 without delegation).
 */
export function createCgroup(n: number, memoryBytes: number, maxTasks: number): Cgroup {
  const folders = ownFolders();
  const name = `${CGROUP_PREFIX}${process.pid}-${n}`;
  const memory = folders.get('memory');
  if (memory) {
    const pids = folders.get('pids');
    for (const parent of pids ? [memory, pids] : [memory]) sweepLeftovers(parent, CGROUP_PREFIX);
    return createV1(memory, pids, name, memoryBytes, maxTasks);
  }
  const v2 = folders.get('v2');
  if (v2 && existsSync(join(v2, 'cgroup.controllers'))) {
    sweepLeftovers(v2, CGROUP_PREFIX);
    return createV2(v2, name, memoryBytes, maxTasks);
  }
  throw new Error('no memory cgroup controller is mounted');
}
