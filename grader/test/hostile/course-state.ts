// What a hostile grading must leave as it found: the course tree byte for
// byte, no process it started, no zombie, no shared-memory segment, no file.
// Helpers for hostile.test.ts and hostile-cli.test.ts (not a submission).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { allStats } from '../../harness/proc-stat.ts';
import { ownerPid } from '../../harness/segment-names.ts';
import { hostLayers } from '../../src/host-layers.ts';
import { differences, type Snapshot, snapshot } from '../../src/integrity.ts';
import { repoRoot } from '../../src/registry.ts';

/** "realms": no trusted process loads submission code (part of "always" once it lands). */
export type Layer = 'always' | 'realms' | 'uid' | 'namespaces';

/**
 * The confinement layers a grading on this machine runs with (--sandbox
 * auto): "always" (the two realms, staging, scoring, escaping, --out, the
 * tripwire) everywhere; a uid of its own as root; namespaces where bubblewrap works.
 */
export function layersInForce(): Layer[] {
  const host = hostLayers();
  return [
    'always',
    'realms',
    ...(host.root ? (['uid'] as const) : []),
    ...('path' in host.bwrap ? (['namespaces'] as const) : []),
  ];
}

/** Every file of the course (tracked or not, but not ignored) with its hash, and the trusted snapshot. */
export interface CourseState {
  files: Map<string, string>;
  trusted: Snapshot;
}

export function courseState(): CourseState {
  const listed = execFileSync('git', ['ls-files', '-z', '-c', '-o', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const files = new Map<string, string>();
  for (const path of listed.split('\0').filter(Boolean)) {
    try {
      files.set(
        path,
        createHash('sha256')
          .update(readFileSync(join(repoRoot, path)))
          .digest('hex'),
      );
    } catch {
      files.set(path, 'unreadable');
    }
  }
  return { files, trusted: snapshot(repoRoot) };
}

/** Paths that differ between two states of the course. */
export function courseChanges(before: CourseState, after: CourseState): string[] {
  const changed = [...before.files]
    .filter(([path, hash]) => after.files.get(path) !== hash)
    .map(([path]) => path);
  const added = [...after.files.keys()].filter((path) => !before.files.has(path));
  return [...new Set([...changed, ...added, ...differences(before.trusted, after.trusted)])];
}

function processes(): { pid: number; ppid: number; state: string; argv: string }[] {
  return allStats().flatMap(({ pid, ppid, state }) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ');
      return [{ pid, ppid, state, argv }];
    } catch {
      return []; // ended meanwhile
    }
  });
}

/** Processes the hostile entries start are marked by their sleep times: 3601 to 3609 s. */
export function hostileProcesses(): string[] {
  return processes()
    .filter((p) => /\bsleep 360[1-9]\b/.test(p.argv))
    .map((p) => `${p.pid} ${p.argv}`);
}

/** Zombies this process would have to reap (its own children that exited and were never waited for). */
export function ownZombies(): number[] {
  return processes()
    .filter((p) => p.ppid === process.pid && p.state === 'Z')
    .map((p) => p.pid);
}

/** Segments whose creator has exited: leaked, unless the grader swept them. */
export function orphanedSegments(): string[] {
  return readdirSync('/dev/shm').filter((name) => {
    const pid = ownerPid(name);
    if (pid === null) return /^hostile-/.test(name);
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
}

/** Files the fills-tmp-and-shm entry writes. */
export function fillFiles(): string[] {
  return ['/tmp', '/dev/shm'].flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.startsWith('ipcc-hostile-fill-'))
      .map((name) => `${dir}/${name}`),
  );
}

/** Removes what an unconfined run of the corpus leaves, so npm test leaves nothing either way. */
export function removeLeftovers(): void {
  for (const path of fillFiles()) rmSync(path, { force: true });
  for (const name of readdirSync('/dev/shm'))
    if (name.startsWith('hostile-')) rmSync(`/dev/shm/${name}`, { force: true });
  for (const line of hostileProcesses()) {
    try {
      process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    } catch {}
  }
}
