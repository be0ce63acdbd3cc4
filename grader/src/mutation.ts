// A known-buggy entry as a mutation: a unified diff against the files of the
// exercise's solution folder (`--- mutex.ts` / `+++ mutex.ts`, names relative
// to that folder). The diff comes from jsdiff (the `diff` package): its parser
// reads the multi-file format and its applier refuses a hunk whose context
// or removed lines are not in the file, which is what "no longer applies"
// means. Fuzz is 0: a mutant applied to code it was not written against
// could lose its bug quietly.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch, parsePatch } from 'diff';

export class StalePatchError extends Error {
  constructor(patchFile: string, detail: string) {
    super(`${patchFile} no longer applies: ${detail}; re-derive it against the solution`);
    this.name = 'StalePatchError';
  }
}

/** The file a patch header names, without git's a/ or b/ prefix. */
function headerName(name: string | undefined): string | undefined {
  return name?.replace(/^[ab]\//, '');
}

/**
 * The mutated text of each file the patch touches, keyed by its name in the solution folder.
 * Throws StalePatchError, naming the patch, when a file is missing or a hunk does not fit.
 */
export function applyMutation(
  patchFile: string,
  patchText: string,
  solutionDir: string,
): Map<string, string> {
  const mutated = new Map<string, string>();
  const files = parsePatch(patchText);
  if (files.length === 0 || files.every((f) => f.hunks.length === 0))
    throw new StalePatchError(patchFile, 'it holds no hunk');
  for (const filePatch of files) {
    const name = headerName(filePatch.oldFileName);
    if (!name || name !== headerName(filePatch.newFileName))
      throw new StalePatchError(patchFile, `"--- ${name}" and "+++" must name one file`);
    const path = join(solutionDir, name);
    if (!existsSync(path)) throw new StalePatchError(patchFile, `${path} does not exist`);
    const result = applyPatch(readFileSync(path, 'utf8'), filePatch, { fuzzFactor: 0 });
    if (result === false) {
      const lines = filePatch.hunks.map((h) => h.oldStart).join(', ');
      throw new StalePatchError(
        patchFile,
        `a hunk of ${name} (at old line ${lines}) no longer matches`,
      );
    }
    mutated.set(name, result);
  }
  return mutated;
}
