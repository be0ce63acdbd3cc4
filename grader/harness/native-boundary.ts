// The suite's own process loads the submission through vite, not through
// Node's resolve hook: this plugin draws the same line there. A submission's
// file that imports any file of native/ but its public entry (internal.ts, the
// binding, the scheduler's control) fails to load with EACCES.
import type { Plugin } from 'vitest/config';
import { refusedImportError, refusedNativeImport } from '../../native/runtime/native-boundary.mjs';

export function nativeBoundary(submissionDir: string): Plugin {
  return {
    name: 'ipc-course:native-boundary',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved) return null;
      const refusal = refusedNativeImport(importer, resolved.id, submissionDir);
      if (refusal) throw refusedImportError(refusal);
      return resolved;
    },
  };
}
