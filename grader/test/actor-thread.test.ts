// The trusted side reads an actor's CPU time from the thread the actor says it
// runs on, and only if that thread belongs to the process tree the grader
// started for it, as the kind of thread the actor is. The id may be local to a
// PID namespace: it is matched through NSpid.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { threadId } from '@ipc-course/shim';
import { locateThread, processTree } from '../harness/actor-thread.ts';
import { hostLayers } from '../src/host-layers.ts';

const started: ChildProcess[] = [];

/** A node process that prints its own pid (as it sees it) and then waits to be killed. */
async function sleeper(command: string[] = []): Promise<{ child: ChildProcess; seen: number }> {
  const child = spawn(
    command[0] ?? process.execPath,
    [
      ...command.slice(1),
      ...(command.length ? [process.execPath] : []),
      '-e',
      'console.log(process.pid); setInterval(() => {}, 1e9)',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  started.push(child);
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, seen: Number(line.toString().trim()) };
}

afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});

describe('locateThread', () => {
  it("accepts a process actor's main thread, found under the pid the grader started", async () => {
    const { child, seen } = await sleeper();
    expect(locateThread(child.pid!, seen, 'process')).toEqual({ pid: child.pid, tid: child.pid });
  });

  it('refuses a thread outside that tree, and ids that are no thread id', async () => {
    const { child } = await sleeper();
    expect(locateThread(child.pid!, process.pid, 'process')).toMatch(
      /is no thread of the actor process/,
    );
    for (const forged of [0, -1, 1.5, '7', null, 2 ** 60])
      expect(locateThread(child.pid!, forged, 'process')).toMatch(/as its thread id/);
  });

  it("accepts a worker's own thread, and refuses the main thread for a worker and a worker for a process", async () => {
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.postMessage(Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop()));
       setInterval(() => {}, 1e9);`,
      { eval: true },
    );
    try {
      const [tid] = (await once(worker, 'message')) as [number];
      expect(locateThread(process.pid, tid, 'worker')).toEqual({ pid: process.pid, tid });
      expect(locateThread(process.pid, tid, 'process')).toMatch(/not the main thread/);
      expect(locateThread(process.pid, threadId(), 'worker')).toMatch(
        /main thread of the worker host/,
      );
    } finally {
      await worker.terminate();
    }
  });

  const bwrap = hostLayers().bwrap;
  it.skipIf(!('path' in bwrap))(
    'maps a pid local to a PID namespace to the host pid through NSpid',
    async () => {
      const { child, seen } = await sleeper([
        (bwrap as { path: string }).path,
        '--unshare-pid',
        '--die-with-parent',
        '--dev-bind',
        '/',
        '/',
        '--proc',
        '/proc',
      ]);
      const found = locateThread(child.pid!, seen, 'process');
      if (typeof found === 'string') throw new Error(`pid ${seen} inside the namespace: ${found}`);
      const { pid, tid } = found;
      expect(pid).not.toBe(seen);
      expect(tid).toBe(pid);
      expect(processTree(child.pid!)).toContain(pid);
    },
  );
});
