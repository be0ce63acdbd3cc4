// The shim's bridge into V8 (native/src/v8_bridge.cc): built for this Node, it
// makes segments' SharedArrayBuffers (by Node-API where Node offers it); built
// for another, it stops at import with EABI instead of crashing later.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { native } from '../binding.ts';

const register = new URL('../runtime/register.mjs', import.meta.url).href;
const nodeMajor = Number(process.versions.node.split('.')[0]);

/** Imports the shim in a fresh process; what it printed, and how it ended. */
function importShim(env: Record<string, string>) {
  const script =
    "import('@ipc-course/shim').then(() => console.log('loaded'), (e) => console.log(e.code, e.message))";
  const child = spawnSync(process.execPath, ['--import', register, '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { output: child.stdout.trim(), status: child.status, signal: child.signal };
}

describe('the V8 bridge', () => {
  it('was built with the V8 headers of the Node running it', () => {
    expect(process.versions.v8.startsWith(native.bridgeInfo().v8)).toBe(true);
  });

  it.runIf(nodeMajor >= 24)('makes SharedArrayBuffers with Node-API on Node 24 and later', () => {
    expect(native.bridgeInfo().sharedArrayBuffers).toBe('node-api');
  });

  it('stops with EABI, not a crash, when it reads handles unlike this Node', () => {
    // One of the two layouts is this Node's own; pretending the other must be refused.
    const runs = ['direct', 'indirect'].map((layout) =>
      importShim({ IPC_SHIM_PRETEND_HANDLES: layout }),
    );
    for (const run of runs) expect(run).toMatchObject({ status: 0, signal: null });
    const outputs = runs.map((run) => run.output).sort();
    expect(outputs[0]).toMatch(/^EABI the native shim reads V8 handles differently/);
    expect(outputs[1]).toBe('loaded');
  });
});
