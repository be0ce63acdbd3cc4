// A module resolve hook (node:module register): '@ipc-course/shim' -> native/index.ts.
// The rewritten specifier goes on down the chain, so tsx's own resolver still
// marks the .ts file for its loader. A submission's file that reaches for any
// other file of native/ (the grader's internals) is refused: see native-boundary.mjs.
import { refusedImportError, refusedNativeImport } from './native-boundary.mjs';

const shimUrl = new URL('../index.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(
    specifier === '@ipc-course/shim' ? shimUrl : specifier,
    context,
  );
  const refusal = refusedNativeImport(
    context.parentURL,
    resolved.url,
    process.env.IPC_SUBMISSION_DIR,
  );
  if (refusal) throw refusedImportError(refusal);
  return resolved;
}
