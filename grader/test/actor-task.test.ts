// A process actor's task (its scenario's arguments: a producer's stream key, for
// one) reaches it over its IPC channel, never on its command line, which every
// process on the machine may read in /proc/<pid>/cmdline.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeFailures, runActors } from '../harness/actors.ts';

describe('a process actor', () => {
  it('gets its arguments, and its command line does not show them', {
    timeout: 60_000,
  }, async () => {
    const secret = randomBytes(16).toString('hex');
    const [outcome] = await runActors(
      [
        {
          name: 'reader',
          kind: 'process',
          module: new URL('./fixtures/own-command-line.ts', import.meta.url),
          scenario: 'commandLine',
          args: { secret },
        },
      ],
      { timeoutMs: 30_000 },
    );
    expect(describeFailures([outcome])).toBe('');
    const { cmdline, gotSecret } = outcome.value as { cmdline: string; gotSecret: boolean };
    expect(gotSecret, 'the scenario received its arguments').toBe(true);
    expect(cmdline, 'what /proc/<pid>/cmdline shows of the actor').not.toContain(secret);
    expect(cmdline).toMatch(/actor-entry/);
  });
});
