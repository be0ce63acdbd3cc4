// IPC_SHM_DIR: segments as files in a folder of the grader's choosing. The
// segment is a file there; a futex wait in one process is woken by a notify in
// another, because both map the same file; a folder that is not one fails with a code.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Segment, segmentFolder } from '@ipc-course/shim';
import { runChild } from './child.ts';

let folder = '';
let before: string | undefined;

beforeEach(() => {
  before = process.env.IPC_SHM_DIR;
  folder = mkdtempSync(join(tmpdir(), 'ipcc-shm-'));
  process.env.IPC_SHM_DIR = folder;
});

afterEach(() => {
  if (before === undefined) delete process.env.IPC_SHM_DIR;
  else process.env.IPC_SHM_DIR = before;
  rmSync(folder, { recursive: true, force: true });
});

describe('segments in IPC_SHM_DIR', () => {
  it('a segment is a file of its size in the folder, and unlink removes it', () => {
    const name = `folder-file-${process.pid}`;
    const segment = Segment.create(name, 4096);
    expect(segmentFolder()).toBe(folder);
    expect(statSync(join(folder, name)).size).toBe(4096);
    expect(existsSync(`/dev/shm/${name}`)).toBe(false);
    segment.store(3, 7);
    expect(Segment.open(name).load(3)).toBe(7);
    Segment.unlink(name);
    expect(existsSync(join(folder, name))).toBe(false);
    segment.close();
  });

  it('create, open and unlink keep their codes (EEXIST, ENOENT)', () => {
    const name = `folder-codes-${process.pid}`;
    const segment = Segment.create(name, 64);
    expect(() => Segment.create(name, 64)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    Segment.unlink(name);
    segment.close();
    expect(() => Segment.open(name)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => Segment.unlink(name)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('a child process asleep in a futex wait is woken by a notify here', async () => {
    const segment = Segment.create(`folder-futex-${process.pid}`, 16);
    try {
      // child-adder.ts: announces itself in cell 2, sleeps in wait(1, 0) until GO, adds to cell 0.
      const child = runChild('child-adder.ts', [segment.name, '1000']);
      const deadline = Date.now() + 15_000;
      while (segment.load(2) === 0 && Date.now() < deadline) await segment.waitAsync(2, 0, 50);
      segment.store(1, 1);
      segment.notify(1);
      expect((await child.done).code).toBe(0);
      expect(segment.load(0)).toBe(1000);
    } finally {
      Segment.unlink(segment.name);
      segment.close();
    }
  });

  it('a missing folder throws ENOTDIR, a relative path EINVAL', () => {
    process.env.IPC_SHM_DIR = join(folder, 'missing');
    expect(() => Segment.create('folder-missing', 64)).toThrow(
      expect.objectContaining({ code: 'ENOTDIR' }),
    );
    expect(() => Segment.open('folder-missing')).toThrow(
      expect.objectContaining({ code: 'ENOTDIR' }),
    );
    process.env.IPC_SHM_DIR = 'relative/shm';
    expect(() => Segment.create('folder-relative', 64)).toThrow(
      expect.objectContaining({ code: 'EINVAL' }),
    );
  });

  it.runIf(process.getuid?.() === 0)(
    'a full folder (a 1 MiB tmpfs) fails the create with ENOSPC, not a SIGBUS later',
    () => {
      const small = join(folder, 'small');
      mkdirSync(small);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small]);
      try {
        process.env.IPC_SHM_DIR = small;
        expect(() => Segment.create('folder-full', 4 * 1024 * 1024)).toThrow(
          expect.objectContaining({ code: 'ENOSPC' }),
        );
        expect(existsSync(join(small, 'folder-full'))).toBe(false);
      } finally {
        execFileSync('umount', [small]);
      }
    },
  );

  it.runIf(process.getuid?.() === 0)(
    'as root, a segment in a folder owned by another uid belongs to that uid',
    () => {
      chownSync(folder, 65534, 65534);
      const segment = Segment.create(`folder-owner-${process.pid}`, 64);
      expect(statSync(join(folder, segment.name)).uid).toBe(65534);
      Segment.unlink(segment.name);
      segment.close();
    },
  );
});
