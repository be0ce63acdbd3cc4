// The learner's progress between runs: .course-state.json at the course root
// (git-ignored, never graded). It only caches what can be recomputed: a lost
// or corrupt file costs a re-run of the visible tests and the hint count.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STATE_FILE = '.course-state.json';

export interface CachedResult {
  /** Hash of the exercise folder the tests ran against (progress.ts folderHash). */
  hash: string;
  passed: boolean;
  passedTests: number;
  totalTests: number;
  /** When the run ended (ISO 8601), for the learner's curiosity only. */
  at: string;
}

export interface CourseState {
  /** The last visible-test result per exercise id; valid only while the hash matches. */
  results: Record<string, CachedResult>;
  /** How many hints of each exercise the learner has already seen. */
  hintsShown: Record<string, number>;
}

export function loadState(root: string): CourseState {
  const file = join(root, STATE_FILE);
  const empty: CourseState = { results: {}, hintsShown: {} };
  if (!existsSync(file)) return empty;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CourseState>;
    return { results: parsed.results ?? {}, hintsShown: parsed.hintsShown ?? {} };
  } catch {
    return empty; // a corrupt cache is a cold cache
  }
}

/**
 * Reads the state afresh, applies `change` and writes it back at once, so that
 * `watch` in one terminal and `hint` in another do not undo each other's work.
 */
export function updateState(root: string, change: (state: CourseState) => void): CourseState {
  const state = loadState(root);
  change(state);
  saveState(root, state);
  return state;
}

/** Writes through a temporary file and a rename, so the lesson server never reads half a file. */
function saveState(root: string, state: CourseState): void {
  const file = join(root, STATE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, file);
}
