// A module resolve hook (node:module register): '@ipc-course/shim' -> native/index.ts.
// The rewritten specifier goes on down the chain, so tsx's own resolver still
// marks the .ts file for its loader.
const shimUrl = new URL('../index.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier === '@ipc-course/shim' ? shimUrl : specifier, context);
}
