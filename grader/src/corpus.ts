// The known-buggy corpus, grader/corpus/<id>/. Two kinds of entry:
//
// <name>.patch: a mutation of the solution (see mutation.ts), labelled on the
// lines before the diff:
//   BUG: <what is wrong, in one line>
//   MUST FAIL: <the exact name of the hidden test that must catch it>
//   (optional prose on why it is wrong, then the unified diff)
//
// <name>.ts: a whole file, kept only for a real alternative design, labelled on
// its first lines:
//   // BUG: ...  // MUST FAIL: ...
//   // DESIGN: <the alternative design, in one line>
//   // FILE: <which of the exercise's files it replaces> (optional: the first)
//
// Either way, the exercise's other files come from its solution.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMutation } from './mutation.ts';
import { type Exercise, repoRoot } from './registry.ts';

export interface CorpusEntry {
  exerciseId: string;
  file: string;
  kind: 'patch' | 'design';
  bug: string;
  mustFail: string;
  /** For a whole-file entry: the design it tries, in one line. */
  design?: string;
  /** For a whole-file entry: the exercise file it stands in for. */
  replaces?: string;
}

/** A label line, `BUG: ...` in a patch's header or `// BUG: ...` atop a whole file. */
function label(text: string, name: string, prefix: string): string | undefined {
  const line = new RegExp(`^${prefix}${name}: (.+)$`, 'm').exec(text);
  return line?.[1]?.trim();
}

/** The lines of a patch before its first file header: its labels and prose. */
function patchHeader(text: string): string {
  const diffStart = text.search(/^--- /m);
  return diffStart < 0 ? text : text.slice(0, diffStart);
}

export function loadCorpus(exercise: Exercise, root = repoRoot): CorpusEntry[] {
  const dir = join(root, 'grader', 'corpus', exercise.id);
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((f) => f.endsWith('.patch') || f.endsWith('.ts'))
      .sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    if (name.endsWith('.patch')) {
      const header = patchHeader(text);
      return {
        exerciseId: exercise.id,
        file,
        kind: 'patch',
        bug: label(header, 'BUG', '') ?? '',
        mustFail: label(header, 'MUST FAIL', '') ?? '',
      };
    }
    const replaces = label(text, 'FILE', '// ');
    return {
      exerciseId: exercise.id,
      file,
      kind: 'design',
      bug: label(text, 'BUG', '// ') ?? '',
      mustFail: label(text, 'MUST FAIL', '// ') ?? '',
      design: label(text, 'DESIGN', '// ') ?? '',
      ...(replaces ? { replaces } : {}),
    };
  });
}

/**
 * The entry's files, keyed by their names in the exercise folder: the patched
 * ones, or the whole file. Throws (naming the entry) when a patch no longer applies.
 */
export function corpusFiles(
  entry: CorpusEntry,
  exercise: Exercise,
  root = repoRoot,
): Map<string, string> {
  const text = readFileSync(entry.file, 'utf8');
  if (entry.kind === 'patch')
    return applyMutation(entry.file, text, join(root, 'solutions', exercise.id));
  return new Map([[entry.replaces ?? exercise.files[0], text]]);
}

/** A submission folder holding the solution with this entry's bug in it. */
export function corpusSubmission(
  entry: CorpusEntry,
  exercise: Exercise,
  root = repoRoot,
): { dir: string; remove(): void } {
  const buggy = corpusFiles(entry, exercise, root);
  const dir = mkdtempSync(join(tmpdir(), 'ipcc-corpus-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, exercise.id));
  // Every file of the solution folder; grading lays the given files (exercises/) beside them.
  for (const file of readdirSync(join(root, 'solutions', exercise.id)))
    copyFileSync(join(root, 'solutions', exercise.id, file), join(dir, exercise.id, file));
  for (const [file, text] of buggy) writeFileSync(join(dir, exercise.id, file), text);
  return { dir, remove };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
