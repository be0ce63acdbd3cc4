// The known-buggy corpus: grader/corpus/<id>/<name>.ts, each a full replacement
// for the exercise's file, labelled on its first lines:
//   // BUG: <what is wrong, in one line>
//   // MUST FAIL: <the exact name of the hidden test that must catch it>
//   // FILE: <which of the exercise's files it replaces> (optional: the first)
// The exercise's other files come from its solution.
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, type Exercise } from './registry.ts';

export interface CorpusEntry {
  exerciseId: string;
  file: string;
  bug: string;
  mustFail: string;
  /** The exercise file this entry stands in for. */
  replaces?: string;
}

export function loadCorpus(exercise: Exercise, root = repoRoot): CorpusEntry[] {
  const dir = join(root, 'grader', 'corpus', exercise.id);
  let files: string[] = [];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .sort();
  } catch {
    return [];
  }
  return files.map((name) => {
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    const bug = /^\/\/ BUG: (.+)$/m.exec(text)?.[1]?.trim() ?? '';
    const mustFail = /^\/\/ MUST FAIL: (.+)$/m.exec(text)?.[1]?.trim() ?? '';
    const replaces = /^\/\/ FILE: (.+)$/m.exec(text)?.[1]?.trim();
    return { exerciseId: exercise.id, file, bug, mustFail, ...(replaces ? { replaces } : {}) };
  });
}

/** A submission folder holding this buggy file in place of the file it replaces, and the solution's other files. */
export function corpusSubmission(
  entry: CorpusEntry,
  exercise: Exercise,
  root = repoRoot,
): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ipcc-corpus-'));
  mkdirSync(join(dir, exercise.id));
  const replaced = entry.replaces ?? exercise.files[0];
  // Every file of the solution folder, given ones too (22's mailbox.ts sits beside the learner's file).
  for (const file of readdirSync(join(root, 'solutions', exercise.id)))
    if (file !== replaced)
      copyFileSync(join(root, 'solutions', exercise.id, file), join(dir, exercise.id, file));
  copyFileSync(entry.file, join(dir, exercise.id, replaced));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
