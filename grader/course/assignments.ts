// npm run course -- assignments: every assignment file in assignments/, with
// its exercises and points, what students see, and any mistake in a file.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Assignment, loadAssignment } from '../src/assignment/assignment.ts';
import { loadExercises, repoRoot } from '../src/registry.ts';

export const ASSIGNMENTS_DIR = join(repoRoot, 'assignments');

function describe(assignment: Assignment): string {
  const titles = new Map(loadExercises().map((e) => [e.id, e.title]));
  const { level, when } = assignment.visibility;
  const shown = {
    full: 'names, messages, traces',
    names: 'test names and pass/fail',
    score: 'the total only',
  }[level];
  const lines = [
    `${relative(repoRoot, assignment.file)}: ${assignment.title}`,
    `  due ${assignment.due ?? '(no date)'}; students see ${shown}${when === 'after-due-date' && level !== 'score' ? ' after the due date (the total only before)' : ''}`,
    ...assignment.exercises.map(
      (e) =>
        `  ${e.id.padEnd(24)} ${String(e.points).padStart(6)} points  ${titles.get(e.id) ?? ''}`,
    ),
    `  ${'total'.padEnd(24)} ${String(assignment.exercises.reduce((sum, e) => sum + e.points, 0)).padStart(6)} points`,
  ];
  if (assignment.lessons.length > 0) lines.push(`  lessons: ${assignment.lessons.join(', ')}`);
  lines.push(`  sha256 ${assignment.hash}`);
  return lines.join('\n');
}

/** Prints each assignment; returns the number of files with a mistake (each printed to stderr). */
export function listAssignments(dir = ASSIGNMENTS_DIR): number {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  if (files.length === 0)
    console.log(`no assignments: ${relative(repoRoot, dir) || dir}/ holds no .json file`);
  let bad = 0;
  for (const file of files) {
    try {
      console.log(`${describe(loadAssignment(join(dir, file)))}\n`);
    } catch (error) {
      bad++;
      console.error(`${(error as Error).message}\n`);
    }
  }
  return bad;
}
