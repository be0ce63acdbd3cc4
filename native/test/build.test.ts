// native/build.mjs stops with one clear sentence, before any compiler runs, on
// a machine the shim cannot run on. The platform is pretended (the build
// script reads IPC_BUILD_PRETEND_PLATFORM for this test only).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const buildScript = fileURLToPath(new URL('../build.mjs', import.meta.url));

function buildOn(platform: string) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [buildScript], {
    env: { ...process.env, IPC_BUILD_PRETEND_PLATFORM: platform },
    encoding: 'utf8',
  });
  return { ...run, ms: performance.now() - started };
}

describe('npm install on another OS', () => {
  for (const platform of ['darwin', 'win32']) {
    it(`stops on ${platform} with one sentence that says Linux and the way out`, () => {
      const run = buildOn(platform);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^ipc-course needs Linux .* this is ${platform}: .*dev container`),
      );
      expect(run.ms, 'it stops before node-gyp starts compiling').toBeLessThan(5000);
    });
  }
});
