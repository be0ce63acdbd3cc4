// The trusted copy holds everything the trusted side runs, and the tripwire
// sees a change anywhere in it, in the repository's node_modules too.
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  copyTrusted,
  differences,
  snapshot,
  trustedPaths,
  withoutModules,
} from '../src/integrity.ts';
import { repoRoot } from '../src/registry.ts';

describe('the trusted copy', () => {
  it('covers every suite, grader/src, grader/harness, the shim and the solutions', () => {
    expect(trustedPaths()).toEqual(
      expect.arrayContaining([
        'grader/suites',
        'grader/src',
        'grader/harness',
        'native/index.ts',
        'native/runtime',
        'native/build/Release/ipc_shim.node',
        'solutions',
      ]),
    );
  });

  it('matches the repository, and any write to it, in any exercise, shows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipcc-integrity-test-'));
    try {
      copyTrusted(dir);
      const baseline = withoutModules(snapshot(repoRoot));
      expect(differences(baseline, snapshot(dir, null))).toEqual([]);
      appendFileSync(join(dir, 'grader/suites/05-semaphore/points.json'), ' ');
      appendFileSync(join(dir, 'grader/src/score.ts'), '\n');
      expect(differences(baseline, snapshot(dir, null)).sort()).toEqual([
        'grader/src/score.ts',
        'grader/suites/05-semaphore/points.json',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sees a file of node_modules touched, even with its times set back (its status-change time moves)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipcc-integrity-test-'));
    try {
      const file = join(dir, 'node_modules/vitest/package.json');
      mkdirSync(join(dir, 'node_modules/vitest'), { recursive: true });
      writeFileSync(file, '{}');
      const baseline = snapshot(repoRoot, dir);
      const { atime, mtime } = statSync(file);
      writeFileSync(file, '{}');
      utimesSync(file, atime, mtime);
      expect(differences(baseline, snapshot(repoRoot, dir))).toEqual([
        'node_modules/vitest/package.json',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
