// The memory limit of one grading (grader/src/memory-limit.ts): a process that
// allocates without end is stopped and the limit says why, by a cgroup where
// this machine lets the grader make one and by the resident-memory watchdog
// everywhere; and a worker thread still starts under it, although V8 reserves
// far more address space per isolate than it ever touches.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createMemoryLimit, type MemoryLimit, whyNoCgroup } from '../src/memory-limit.ts';

const MIB = 1024 ** 2;
const LIMIT_BYTES = 256 * MIB;

const ALLOCATE_FOREVER =
  'const hoard = []; for (;;) hoard.push(Buffer.alloc(16 * 1024 * 1024, 1));';
const START_A_WORKER = `
  const { Worker } = require('node:worker_threads');
  const worker = new Worker("require('node:worker_threads').parentPort.postMessage(42)", { eval: true });
  worker.on('message', (answer) => process.exit(answer === 42 ? 0 : 1));
  worker.on('error', () => process.exit(2));
`;

interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the limit said when it was released. */
  why: string | undefined;
}

/** Runs `node -e script` in a process group of its own under `limit`, as sandbox.ts does. */
function runUnder(limit: MemoryLimit, script: string): Promise<Ending> {
  const child = spawn(
    '/bin/sh',
    ['-c', `${limit.shellJoin || ':'} && exec "$@"`, 'limited', process.execPath, '-e', script],
    { detached: true, stdio: 'ignore' },
  );
  limit.watch(child.pid!, () => process.kill(-child.pid!, 'SIGKILL'));
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, why: limit.release() })),
  );
}

describe('the resident-memory watchdog', () => {
  it('stops a process that allocates without end, and says how much it used', async () => {
    const ending = await runUnder(
      createMemoryLimit({ limitBytes: LIMIT_BYTES, watchdogOnly: true }),
      ALLOCATE_FOREVER,
    );
    expect(ending.signal).toBe('SIGKILL');
    expect(ending.why).toMatch(/used \d+ MiB of memory, over the limit of 256 MiB/);
  });

  it('lets a worker thread start', async () => {
    const limit = createMemoryLimit({ limitBytes: LIMIT_BYTES, watchdogOnly: true });
    expect(await runUnder(limit, START_A_WORKER)).toEqual({
      code: 0,
      signal: null,
      why: undefined,
    });
  });
});

describe('a cgroup per grading', () => {
  /** A cgroup limit, or a skipped test that says why this machine has none. */
  function cgroupOrSkip(skip: (note: string) => void): MemoryLimit {
    const limit = createMemoryLimit({ limitBytes: LIMIT_BYTES });
    if (!limit.mechanism.startsWith('cgroup'))
      skip(`the grader cannot make a cgroup here (${whyNoCgroup()}); it uses the watchdog`);
    return limit;
  }

  it('stops a process that allocates without end, and says the kernel did', async ({ skip }) => {
    const ending = await runUnder(cgroupOrSkip(skip), ALLOCATE_FOREVER);
    expect(ending.signal).toBe('SIGKILL');
    expect(ending.why).toMatch(/more than 256 MiB of memory \(cgroup v[12] memory limit\)/);
  });

  it('lets a worker thread start', async ({ skip }) => {
    const ending = await runUnder(cgroupOrSkip(skip), START_A_WORKER);
    expect(ending).toEqual({ code: 0, signal: null, why: undefined });
  });
});
