// Real attacks from inside a grading's realm (grader/src/realm.ts), started the
// way every untrusted process is (spawnUntrusted): the submission's process
// cannot read the reference solution or the trusted copy, cannot write outside
// its scratch, cannot signal the grader, cannot reach 127.0.0.1, fills neither
// /tmp nor the segment folder past their sizes, sees only allow-listed
// variables, and nothing it started outlives the grading. Each layer is tried
// alone too (the uid without namespaces), as a host without bubblewrap has it.
import { type ChildProcess, execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Realm } from '../harness/realm-description.ts';
import { spawnUntrusted } from '../harness/untrusted.ts';
import { processesOf } from '../src/grading-uids.ts';
import { adoptOrphans } from '../src/processes.ts';
import { hostLayers } from '../src/host-layers.ts';
import { copyTrusted } from '../src/integrity.ts';
import { readableBy } from '../src/reachable.ts';
import { type ExerciseRealm, type GradingRealm, openRealm } from '../src/realm.ts';
import { repoRoot } from '../src/registry.ts';

const ID = '04-mutex';
const fixtures = new URL('./fixtures/confinement/', import.meta.url);
const root = process.getuid?.() === 0;
const namespaces = 'path' in hostLayers().bwrap;

/** Runs a fixture of the staged submission as an untrusted process of `realm`; its one JSON line. */
async function runUntrusted(
  realm: Realm,
  env: Record<string, string>,
  file: string,
  args: string[] = [],
): Promise<Record<string, unknown>> {
  const saved = { ...process.env };
  Object.assign(process.env, env, { IPC_REALM: JSON.stringify(realm) });
  let child: ChildProcess;
  try {
    child = spawnUntrusted(pathToFileURL(join(realm.submission, ID, file)), args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk));
  await new Promise((resolve) => child.on('close', resolve));
  if (!out.trim()) throw new Error(`${file} printed nothing; stderr: ${err}`);
  return JSON.parse(out.trim().split('\n').pop()!);
}

let staged = '';
let trusted = '';
let realm: GradingRealm;
let exercise: ExerciseRealm;
let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  adoptOrphans(); // as the grader is: orphans of the realm come back here, to be reaped
  staged = mkdtempSync(join(tmpdir(), 'ipcc-confine-'));
  mkdirSync(join(staged, ID));
  for (const file of ['attacks.ts', 'escapes.ts'])
    copyFileSync(new URL(file, fixtures), join(staged, ID, file));
  writeFileSync(join(staged, 'package.json'), '{ "type": "module" }\n');
  trusted = join(staged, `.trusted-${ID}`);
  copyTrusted(trusted);
  realm = openRealm('auto', staged)!;
  exercise = realm.forExercise(ID, trusted);
  // This test loads the harness from the repository, not from the trusted copy
  // a grading loads it from: its module URLs map into the same runtime tree.
  exercise.description.trusted = repoRoot;
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(() => {
  server?.close();
  realm?.close();
  rmSync(staged, { recursive: true, force: true });
});

/** The attacks, against a realm description (all layers, or some taken away). */
function attacksAgainst(describeRealm: () => Realm, fillDevShm: boolean) {
  const forged = () => [
    join(repoRoot, 'grader', 'src', 'forged.ts'),
    join(describeRealm().runtime, 'grader', 'harness', 'forged.ts'),
    join(describeRealm().submission, ID, 'forged.ts'),
    join(trusted, 'grader', 'suites', ID, 'forged.ts'),
  ];
  let outcome: Record<string, unknown>;
  beforeAll(async () => {
    outcome = await runUntrusted(describeRealm(), exercise.env, 'attacks.ts', [
      JSON.stringify({
        graderPid: process.pid,
        port,
        files: [
          join(trusted, 'solutions', ID, 'mutex.ts'),
          join(describeRealm().submission, `.trusted-${ID}`, 'solutions', ID, 'mutex.ts'),
          join(trusted, 'grader', 'suites', ID, 'mutex.test.ts'),
          join(trusted, 'grader', 'suites', ID, 'points.json'),
        ],
        writes: forged(),
        fillSegments: true,
        fillDevShm,
      }),
    ]);
  }, 60_000);

  it('runs as the grading uid', () => {
    expect(outcome.uid).toBe(describeRealm().user?.uid);
  });

  it('cannot read the trusted copy: the reference solution, the hidden tests, the points', () => {
    expect(outcome.read).toHaveLength(4);
    expect(outcome.read).not.toContain('ok');
  });

  it('cannot write grader files, its runtime tree, its own staged copy or the trusted copy', () => {
    expect(outcome.write).not.toContain('ok');
    for (const file of forged()) expect(existsSync(file), file).toBe(false);
  });

  it('cannot stop the grader with a signal', () => {
    expect(outcome.signal).not.toBe('ok');
  });

  it('fills neither /tmp nor the segment folder past their sizes (ENOSPC)', () => {
    expect(outcome.tmp).toBe('ENOSPC');
    expect(outcome.segment).toBe('ENOSPC');
  });

  it('sees only the allow-listed variables', () => {
    for (const name of outcome.environment as string[])
      expect(name).toMatch(/^(IPC_[A-Z_]+|PATH|PWD|LANG|TZ|HOME|TMPDIR|NODE_CHANNEL_[A-Z_]+)$/);
  });

  it('leaves nothing running: a setsid grandchild is killed with the grading uid', async () => {
    const { grandchild } = await runUntrusted(describeRealm(), exercise.env, 'escapes.ts');
    expect(grandchild).toBeTypeOf('number');
    expect(processesOf(describeRealm().user!.uid).length).toBeGreaterThan(0);
    realm.afterExercise();
    const uid = describeRealm().user!.uid;
    expect(processesOf(uid).filter((p) => p.state !== 'Z')).toEqual([]);
    // A zombie whose parent is a child Node started (bwrap) goes once Node reaps that child.
    await vi.waitFor(() => expect(processesOf(uid)).toEqual([]), { timeout: 5000 });
  }, 30_000);

  return () => outcome;
}

describe.runIf(root && namespaces)('a realm with every layer (uid, namespaces, limits)', () => {
  const outcome = attacksAgainst(() => exercise.description, true);

  it('fills /dev/shm no further than the segment folder (it is that folder)', () => {
    expect(outcome().devShm).toBe('ENOSPC');
  });

  it('cannot reach 127.0.0.1 (no network in its namespace)', () => {
    expect(outcome().connect).not.toBe('ok');
    expect(connections).toBe(0);
  });

  it('cannot see the repository at all (nothing of it is mounted)', async () => {
    const seen = await runUntrusted(exercise.description, exercise.env, 'attacks.ts', [
      JSON.stringify({
        graderPid: process.pid,
        port,
        files: [join(repoRoot, 'solutions', ID, 'mutex.ts')],
        writes: [],
        fillSegments: false,
      }),
    ]);
    expect(seen.read).toEqual(['ENOENT']);
  }, 60_000);
});

describe.runIf(root)('the uid layer alone (no namespaces)', () => {
  attacksAgainst(() => ({ ...exercise.description, namespaces: undefined }), false);
});

describe.runIf(root)('two gradings at once', () => {
  it('get two uids', () => {
    const other = openRealm('auto', staged)!;
    try {
      const mine = exercise.description.user!.uid;
      const theirs = other.forExercise(ID, trusted).description.user!.uid;
      expect(theirs).not.toBe(mine);
      expect(other.report.on.join(' ')).toMatch(new RegExp(`uid ${theirs}`));
    } finally {
      other.close();
    }
  });
});

describe.runIf(root && namespaces)('a grader that is not root (run here as uid 65534)', () => {
  let result: {
    sandbox: { on: string[]; off: string[] };
    strict: string;
    attacks: Record<string, unknown>;
  };
  beforeAll(() => {
    const grader = fileURLToPath(new URL('unprivileged-grader.ts', fixtures));
    const register = fileURLToPath(new URL('../../native/runtime/register.mjs', import.meta.url));
    const out = execFileSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        '--',
        process.execPath,
        '--import',
        register,
        grader,
        JSON.stringify({ port }),
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/tmp' }, timeout: 90_000 },
    );
    result = JSON.parse(out.trim().split('\n').pop()!);
  }, 120_000);

  it('grades with namespaces and says the uid layer is off because it is not root', () => {
    expect(result.sandbox.on.join(' ')).toMatch(/namespaces/);
    expect(result.sandbox.off.join(' ')).toMatch(/uid: the grader does not run as root/);
  });

  it('refuses --sandbox strict, saying why', () => {
    expect(result.strict).toMatch(/strict needs the grader to run as root/);
  });

  it('keeps the submission from the trusted copy, the repository and the network', () => {
    expect(result.attacks.read).toEqual(['ENOENT', 'ENOENT']);
    expect(existsSync(join(repoRoot, 'grader', 'src', 'forged.ts'))).toBe(false);
    expect(result.attacks.connect).not.toBe('ok');
    expect(result.attacks.tmp).toBe('ENOSPC');
  });
});

describe('readableBy: could a uid with no account read a path (strict without namespaces)', () => {
  it('follows the permission bits of the file and of every folder above it', () => {
    const top = mkdtempSync(join(tmpdir(), 'ipcc-reachable-'));
    try {
      mkdirSync(join(top, 'course', 'solutions'), { recursive: true });
      const file = join(top, 'course', 'solutions', 'mutex.ts');
      writeFileSync(file, '');
      chmodSync(top, 0o755);
      chmodSync(join(top, 'course'), 0o755);
      chmodSync(file, 0o644);
      expect(readableBy(file, 65533, 65533)).toBe(true);
      chmodSync(join(top, 'course'), 0o700);
      expect(readableBy(file, 65533, 65533)).toBe(false);
      chmodSync(join(top, 'course'), 0o755);
      chmodSync(file, 0o600);
      expect(readableBy(file, 65533, 65533)).toBe(false);
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});
