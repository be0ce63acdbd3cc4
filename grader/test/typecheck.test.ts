// The whole repository type-checks (strict): starters, solutions, suites, shim, tools.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../src/registry.ts';

it('type-checks with tsc -p . (strict)', { timeout: 120_000 }, () => {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'); // not in the package's exports
  const result = spawnSync(process.execPath, [tsc, '-p', '.'], { cwd: repoRoot, encoding: 'utf8' });
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
});
