// A module resolve hook (node:module register): '@ipc-course/shim' -> native/index.ts.
const shimUrl = new URL('../index.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === '@ipc-course/shim') return { url: shimUrl, shortCircuit: true };
  return nextResolve(specifier, context);
}
