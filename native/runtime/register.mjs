// Imported with `node --import` (child processes) and by worker.mjs (worker
// threads): makes .ts files loadable through tsx, and the bare name
// '@ipc-course/shim' resolve to native/index.ts from any folder on disk, so a
// submission copied anywhere imports the shim the same way. JavaScript, not
// TypeScript, because it is what makes TypeScript loadable.
import { register } from 'node:module';
import { register as registerTsxEsm } from 'tsx/esm/api';
import { register as registerTsxCjs } from 'tsx/cjs/api';

registerTsxEsm();
registerTsxCjs();
register('./resolve-shim.mjs', import.meta.url);
