// Builds the native shim with the node-gyp that npm installed for this project.
// Run by `npm install` (the root "install" script) and by `npm run build:native`.
//
// Why not plain `node-gyp rebuild`: outside npm, node-gyp would try to download
// Node's headers. Node ships them beside the binary on a normal install, so we
// point --nodedir there and nothing is fetched.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// Stop before the compiler on a machine the shim cannot run on, with one
// sentence saying why and what to do. IPC_BUILD_PRETEND_PLATFORM exists only
// for native/test/build.test.ts, which checks this message on Linux.
const platform = process.env.IPC_BUILD_PRETEND_PLATFORM || process.platform;
if (platform !== 'linux') {
  console.error(
    `ipc-course needs Linux (its native shim uses the Linux futex and POSIX message queues), and this is ${platform}: open the folder in its dev container (.devcontainer/, see README.md), or use WSL 2 on Windows.`,
  );
  process.exit(1);
}
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (![22, 24, 26].includes(nodeMajor)) {
  console.error(
    `ipc-course is tested on Node 22, 24 and 26, and this is Node ${process.versions.node}: install Node 24 (the LTS) and run \`npm install\` again.`,
  );
  process.exit(1);
}

let nodeGyp;
try {
  nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  console.error(
    'native/build.mjs: node-gyp is not installed. Run `npm install` at the repository root.',
  );
  process.exit(1);
}

const args = [nodeGyp, 'rebuild', '--directory', nativeDir];
const env = { ...process.env };
const installPrefix = dirname(dirname(process.execPath));
// The headers of the Node that runs this, always: the shim reaches into V8
// (native/src/v8_bridge.cc), so headers of another Node build a shim that this
// one refuses to load. node-gyp prefers npm_config_nodedir (an npmrc's nodedir,
// set for some other Node) over its --nodedir argument, so set both.
if (existsSync(join(installPrefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${installPrefix}`);
  env.npm_config_nodedir = installPrefix;
} else if (process.env.npm_config_nodedir) {
  args.push(`--nodedir=${process.env.npm_config_nodedir}`);
}

const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
if (result.status !== 0) {
  console.error(
    '\nnative/build.mjs: building the shim failed. It needs g++, make and python3 (see README.md).',
  );
  process.exit(result.status ?? 1);
}
