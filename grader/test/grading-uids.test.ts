// killUid ends a grading uid's processes and leaves no zombie behind, including
// one that reaches the grader (a subreaper) only after killUid began: a
// sandbox's init that dies after its child hands that child's zombie to us.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { killUid, processesOf, releaseGradingUid, takeGradingUid } from '../src/grading-uids.ts';
import { adoptOrphans } from '../src/processes.ts';

const root = process.getuid?.() === 0;

describe.runIf(root)('killUid', () => {
  it('reaps a zombie of the uid that is handed to us after its parent dies', async () => {
    adoptOrphans();
    const uid = takeGradingUid();
    try {
      // A root parent forks a child that becomes the uid and exits at once; the
      // parent never waits for it, and exits 400 ms later.
      const parent = spawn('python3', [
        '-c',
        `import os, time
pid = os.fork()
if pid == 0:
    os.setgid(${uid}); os.setuid(${uid}); os._exit(0)
time.sleep(0.4)`,
      ]);
      await vi.waitFor(() => expect(processesOf(uid).map((p) => p.state)).toEqual(['Z']), {
        timeout: 5000,
      });
      expect(killUid(uid)).toBe(0);
      expect(processesOf(uid)).toEqual([]);
      if (parent.exitCode === null) await once(parent, 'exit');
    } finally {
      killUid(uid);
      releaseGradingUid(uid);
    }
  });
});
