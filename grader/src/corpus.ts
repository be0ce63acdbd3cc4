// The known-buggy corpus: grader/corpus/<id>/<name>.ts, each a full replacement
// for the exercise's file, labelled on its first lines:
//   // BUG: <what is wrong, in one line>
//   // MUST FAIL: <the exact name of the hidden test that must catch it>
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, type Exercise } from './registry.ts';

export interface CorpusEntry {
  exerciseId: string;
  file: string;
  bug: string;
  mustFail: string;
}

export function loadCorpus(exercise: Exercise, root = repoRoot): CorpusEntry[] {
  const dir = join(root, 'grader', 'corpus', exercise.id);
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
  } catch {
    return [];
  }
  return files.map((name) => {
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    const bug = /^\/\/ BUG: (.+)$/m.exec(text)?.[1]?.trim() ?? '';
    const mustFail = /^\/\/ MUST FAIL: (.+)$/m.exec(text)?.[1]?.trim() ?? '';
    return { exerciseId: exercise.id, file, bug, mustFail };
  });
}

/** A submission folder holding just this buggy file in place of the exercise's first file. */
export function corpusSubmission(entry: CorpusEntry, exercise: Exercise): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ipcc-corpus-'));
  mkdirSync(join(dir, exercise.id));
  copyFileSync(entry.file, join(dir, exercise.id, exercise.files[0]));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
