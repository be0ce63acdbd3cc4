// The formatter and the linter (Biome, configured in biome.json) hold for the
// whole tree: `npm run format` fixes what this test finds wrong in layout.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from '../src/registry.ts';

test('every file is formatted and passes the linter (biome ci)', { timeout: 60_000 }, () => {
  const biome = join(repoRoot, 'node_modules/.bin/biome');
  const run = spawnSync(biome, ['ci', '--colors=off', '.'], { cwd: repoRoot, encoding: 'utf8' });
  expect(run.status, `${run.stdout}\n${run.stderr}`.slice(-4000)).toBe(0);
});

// Notes beside the project (its design and reference folders) never reach a clone: a
// file that points a reader there points at nothing.
test('no file cites the notes kept outside the project', { timeout: 60_000 }, () => {
  const run = spawnSync(
    'git',
    ['grep', '-n', '-I', '-E', String.raw`(\.\./shared/|shared/(reference|DESIGN|STYLE))`],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  // git grep exits 1 when nothing matches
  expect(run.stdout, 'files citing notes outside the project').toBe('');
  expect(run.status).toBe(1);
});
