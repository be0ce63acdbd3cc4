// Schedule perturbation decisions are seeded: the same seed and actor give the
// same stream; a different actor or seed gives another.
import { describe, expect, it } from 'vitest';
import { decisionStream, type PerturbDecision } from '../internal.ts';

const take = (next: () => PerturbDecision, n: number) => Array.from({ length: n }, next);

describe('schedule perturbation', () => {
  it('replays the same decisions for the same seed and actor', () => {
    const first = take(decisionStream(1234, 'thread-1', 0.3), 500);
    const again = take(decisionStream(1234, 'thread-1', 0.3), 500);
    expect(again).toEqual(first);
  });

  it('gives each actor and each seed its own stream', () => {
    const base = take(decisionStream(1234, 'thread-1', 0.3), 500);
    expect(take(decisionStream(1234, 'thread-2', 0.3), 500)).not.toEqual(base);
    expect(take(decisionStream(1235, 'thread-1', 0.3), 500)).not.toEqual(base);
  });

  it('perturbs about as often as asked, with yields and short pauses', () => {
    const decisions = take(decisionStream(99, 'process-0', 0.2), 10_000);
    const perturbed = decisions.filter((d) => d !== 'run');
    expect(perturbed.length).toBeGreaterThan(1700);
    expect(perturbed.length).toBeLessThan(2300);
    expect(perturbed.some((d) => d === 'yield')).toBe(true);
    const pauses = perturbed.filter((d): d is { pauseMicros: number } => typeof d === 'object');
    expect(pauses.length).toBeGreaterThan(0);
    expect(Math.max(...pauses.map((p) => p.pauseMicros))).toBeLessThanOrEqual(200);
  });
});

describe('perturbation in a real process', () => {
  it('prints its seed once, and the program still computes the right result', async () => {
    const { spawn } = await import('node:child_process');
    const register = new URL('../runtime/register.mjs', import.meta.url).href;
    const program = new URL('./fixtures/perturbed-counter.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', register, program], {
      env: { ...process.env, IPC_SHIM_PERTURB: '0.5', IPC_SHIM_SEED: '4242', IPC_SHIM_ACTOR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stderr).toContain('seed=4242');
    expect(stderr.match(/seed=/g)).toHaveLength(1);
    expect(stdout.trim()).toBe('2000');
  });
});
