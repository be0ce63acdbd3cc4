// The realm of one grading: the folders, uid, limits and namespaces its
// untrusted processes run in, chosen by --sandbox from what the host offers
// (host-layers.ts), and described to the trusted processes in IPC_REALM.
//
// Layout (the realm folder is 0711 root: the uid may pass through, not list):
//   submission/     the staged submission, read-only
//   runtime-<id>/   the untrusted runtime tree of exercise <id> (runtime-tree.ts), read-only
//   packages/       the packages tsx needs, which that tree links to, read-only
//   home/ tmp/ shm/ the uid's own (0700); size-limited tmpfs mounts when the grader is root
// The trusted copy and the repository stay outside: the trusted copy lives in
// a 0700 root folder, and the repository is either unreachable for the uid or
// not mounted in the namespaces (strict refuses to grade otherwise).
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { REALM_VARIABLE, type Realm } from '../harness/realm-description.ts';
import { killUid, releaseGradingUid, takeGradingUid } from './grading-uids.ts';
import { hostLayers } from './host-layers.ts';
import { readableBy } from './reachable.ts';
import { repoRoot } from './registry.ts';
import type { SandboxReport } from './report.ts';
import type { SandboxMode } from './sandbox-modes.ts';
import { buildRuntimeTree, copyPackages } from './runtime-tree.ts';
import { UsageError } from './submission.ts';

const REALMS = '/run/ipc-course/realms';
const MiB = 1024 * 1024;
/** Sizes of the scratch mounts: far above what any suite uses, far below the machine. */
const SIZES = { home: 64 * MiB, tmp: 256 * MiB, shm: 512 * MiB };
/** Tasks (processes and threads) of one grading's uid: a Node process has about 11. */
const PROCESS_LIMIT = 512;
/** CPU seconds of any one untrusted process; the wall limits of the sandbox come first. */
const CPU_SECONDS = 600;

/** What an exercise's trusted run needs from the realm. */
export interface ExerciseRealm {
  description: Realm;
  /** Variables for the trusted processes of the run (vitest and its forks). */
  env: Record<string, string>;
}

export interface GradingRealm {
  report: SandboxReport;
  /** The staged submission the untrusted side reads (IPC_SUBMISSION_DIR on both sides). */
  submission: string;
  forExercise(exerciseId: string, trustedRoot: string): ExerciseRealm;
  /** Ends every untrusted process and empties the scratch folders. */
  afterExercise(): void;
  close(): void;
}

/** Runs a system command as root; false if it failed (a container without the right). */
function tryRun(file: string, args: string[]): boolean {
  try {
    execFileSync(file, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies the staged submission: regular files and folders only (staging
 * refused everything else), and never a trusted copy that lives beside it.
 */
function copyReadable(from: string, to: string): void {
  cpSync(from, to, {
    recursive: true,
    filter: (src) => !lstatSync(src).isSymbolicLink() && !basename(src).startsWith('.trusted-'),
  });
  const open = (path: string) => {
    chmodSync(path, lstatSync(path).isDirectory() ? 0o755 : 0o644);
    if (lstatSync(path).isDirectory()) for (const name of readdirSync(path)) open(join(path, name));
  };
  open(to);
}

function emptyFolder(path: string): void {
  for (const name of readdirSync(path)) rmSync(join(path, name), { recursive: true, force: true });
}

/** Host paths bwrap mounts read-only: system programs and libraries, node, the packages tsx needs. */
function systemPaths(packages: string): string[] {
  const node = realpathSync(process.execPath);
  const paths = ['/usr', '/bin', '/lib', '/lib64', '/sbin', '/etc/ld.so.cache', '/etc/localtime'];
  paths.push(dirname(process.execPath), dirname(node), packages);
  return [...new Set(paths)].filter((path) => existsSync(path));
}

const TWO_REALMS =
  'two realms: submission code runs only in untrusted processes, with an allow-listed environment';

/** Where realms are made: a root-only folder when the grader is root, else the temporary folder. */
function realmsFolder(root: boolean): string {
  if (!root) return tmpdir();
  mkdirSync(REALMS, { recursive: true, mode: 0o711 });
  // The grading uid passes through to its own realm; it lists nothing on the way.
  chmodSync(dirname(REALMS), 0o711);
  chmodSync(REALMS, 0o711);
  removeAbandonedRealms();
  return REALMS;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Realms whose grader was killed before closing them (ipcc-realm-<pid>-*): their mounts and files. */
function removeAbandonedRealms(): void {
  for (const name of readdirSync(REALMS)) {
    const owner = Number(/^ipcc-realm-(\d+)-/.exec(name)?.[1]);
    if (!owner || alive(owner)) continue;
    const root = join(REALMS, name);
    for (const scratch of ['home', 'tmp', 'shm']) tryRun('umount', ['-l', join(root, scratch)]);
    rmSync(root, { recursive: true, force: true });
  }
}

/** The layers of a grading with --sandbox off: only the always-on rules. */
export function offReport(): SandboxReport {
  return { mode: 'off', on: [TWO_REALMS], off: ['uid, namespaces, limits: --sandbox off'] };
}

/** Which layers a mode gets here; throws a UsageError when strict cannot have what it needs. */
function chooseLayers(mode: 'strict' | 'auto'): {
  uid: boolean;
  namespaces: boolean;
  why: string[];
} {
  const host = hostLayers();
  const why: string[] = [];
  if (!host.root) why.push('uid: the grader does not run as root');
  const namespaces = 'path' in host.bwrap;
  if ('missing' in host.bwrap) why.push(`namespaces: ${host.bwrap.missing}`);
  if (!host.prlimit) why.push('limits: prlimit(1) is not installed (util-linux)');
  if (mode === 'strict') {
    if (!host.root)
      throw new UsageError(
        '--sandbox strict needs the grader to run as root (it gives each grading an unprivileged uid of its own)',
      );
    const reference = join(repoRoot, 'solutions');
    if (!namespaces && existsSync(reference) && readableBy(reference, 65534, 65534))
      throw new UsageError(
        `--sandbox strict: bubblewrap cannot make namespaces here, and ${reference} is readable by every user, so a grading uid could read the reference solutions. Make the course tree unreadable to others (chmod o-rx ${repoRoot}) or install bubblewrap.`,
      );
  }
  return { uid: host.root, namespaces, why };
}

/** The realm of one grading, or undefined with --sandbox off (only the always-on rules). */
export function openRealm(mode: SandboxMode, stagedDir: string): GradingRealm | undefined {
  if (mode === 'off') return undefined;
  const layers = chooseLayers(mode);
  const host = hostLayers();
  const on = [TWO_REALMS];
  const root = mkdtempSync(join(realmsFolder(layers.uid), `ipcc-realm-${process.pid}-`));
  chmodSync(root, 0o711);
  const uid = layers.uid ? takeGradingUid() : undefined;
  const mounted: string[] = [];
  const scratch = (name: keyof typeof SIZES): string => {
    const path = join(root, name);
    mkdirSync(path, { mode: 0o700 });
    if (uid === undefined) return path;
    const options = `size=${SIZES[name]},mode=0700,uid=${uid},gid=${uid},nosuid,nodev`;
    if (tryRun('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', path])) mounted.push(path);
    else chownSync(path, uid, uid);
    return path;
  };
  const home = scratch('home');
  const tmp = scratch('tmp');
  let shm = scratch('shm');
  if (!mounted.includes(shm) && existsSync('/dev/shm')) {
    // Segments are memory, not disk: without a mount of our own, a folder in /dev/shm.
    rmSync(shm, { recursive: true });
    shm = mkdtempSync('/dev/shm/ipcc-realm-');
    if (uid !== undefined) chownSync(shm, uid, uid);
  }
  const submission = join(root, 'submission');
  copyReadable(stagedDir, submission);
  const packages = join(root, 'packages');
  copyPackages(packages);
  if (uid !== undefined)
    on.push(`uid ${uid} of its own (cannot read the trusted copy, writes only its scratch)`);
  if (mounted.length === 3) on.push('size-limited home, /tmp and segment folder');
  else if (uid !== undefined)
    layers.why.push('sizes: mounting a tmpfs failed, scratch folders are not size-limited');
  if (layers.namespaces) on.push('namespaces (mount, network, IPC), dies with the grader');
  if (host.prlimit)
    on.push(
      uid === undefined
        ? `CPU limit ${CPU_SECONDS} s`
        : `process limit ${PROCESS_LIMIT}, CPU limit ${CPU_SECONDS} s`,
    );
  const report: SandboxReport = { mode, on, off: layers.why };

  let current: string | undefined;
  const clearScratch = () => {
    if (uid !== undefined) killUid(uid);
    for (const path of [home, tmp, shm]) emptyFolder(path);
  };
  return {
    report,
    submission,
    forExercise(exerciseId, trustedRoot) {
      if (current) rmSync(current, { recursive: true, force: true });
      current = join(root, `runtime-${exerciseId}`);
      buildRuntimeTree(trustedRoot, exerciseId, current, packages);
      const description: Realm = {
        trusted: trustedRoot,
        runtime: current,
        submission,
        home,
        tmp,
        shm,
        user: uid === undefined ? undefined : { uid, gid: uid },
        limits: host.prlimit
          ? {
              prlimit: host.prlimit,
              cpuSeconds: CPU_SECONDS,
              processes: uid === undefined ? undefined : PROCESS_LIMIT,
            }
          : undefined,
        namespaces:
          layers.namespaces && 'path' in host.bwrap
            ? {
                bwrap: host.bwrap.path,
                readOnly: systemPaths(packages),
                tmpBytes: mounted.includes(tmp) ? undefined : SIZES.tmp,
              }
            : undefined,
      };
      return {
        description,
        env: {
          [REALM_VARIABLE]: JSON.stringify(description),
          IPC_SHM_DIR: shm,
          IPC_SUBMISSION_DIR: submission,
        },
      };
    },
    afterExercise: clearScratch,
    close() {
      clearScratch();
      for (const path of mounted) tryRun('umount', ['-l', path]);
      rmSync(root, { recursive: true, force: true });
      rmSync(shm, { recursive: true, force: true });
      if (uid !== undefined) {
        removeLeftovers(uid);
        releaseGradingUid(uid);
      }
    },
  };
}

/** World-writable folders a uid without namespaces could leave files in. */
const SHARED_FOLDERS = ['/tmp', '/var/tmp', '/dev/shm', '/dev/mqueue'];

/** Removes what the grading uid left in the host's shared folders (the uid owns nothing else). */
function removeLeftovers(uid: number): void {
  for (const folder of SHARED_FOLDERS) {
    let names: string[] = [];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(folder, name);
      try {
        if (lstatSync(path).uid === uid) rmSync(path, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
    }
  }
}
