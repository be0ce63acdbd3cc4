// A student copy of the course: lessons, the shim, the exercises with their
// starters and visible tests, and the grader's runner (which, with no hidden
// suites present, grades with the visible tests). Never the solutions, the
// hidden suites, the known-buggy corpus or the grader's own tests.
// For an assignment (--assignment): every lesson, and only its exercises (each
// folder whole, with the given files it builds on), listed in course.json.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Assignment } from '../src/assignment/assignment.ts';
import { repoRoot } from '../src/registry.ts';
import { VERSION_FILE, courseVersion } from '../src/provenance.ts';

/** What a student copy holds, relative to the repository root. */
export const RELEASED = [
  'README.md',
  'tsconfig.json',
  'package-lock.json',
  '.gitignore',
  '.devcontainer', // learners on macOS or Windows need it most
  'scripts/setup-debian.sh',
  'lessons',
  'native',
  'exercises',
  'grader/cli.ts',
  'grader/vitest.config.ts',
  'grader/src',
  'grader/harness',
  'grader/course',
  'grader/site',
];

/** Never in a student copy, wherever it appears. */
const WITHHELD = [
  /^solutions(\/|$)/,
  /^grader\/(suites|corpus|test|bench|ci)(\/|$)/,
  /(^|\/)node_modules(\/|$)/,
  /^native\/build(\/|$)/,
  /(^|\/)\.[^/]*\.ts$/,
];

export function isWithheld(path: string): boolean {
  const normal = path.split(sep).join('/');
  return WITHHELD.some((pattern) => pattern.test(normal));
}

/** Marks, in README.md, the parts written for instructors; the student copy leaves them out. */
const INSTRUCTORS_ONLY = /<!-- instructors -->[\s\S]*?<!-- \/instructors -->\n?/g;

/** The repository's README with the instructors' parts cut: one source, two audiences. */
export function studentReadme(readme: string): string {
  const open = readme.split('<!-- instructors -->').length - 1;
  const close = readme.split('<!-- /instructors -->').length - 1;
  if (open !== close)
    throw new Error(
      `README.md has ${open} "<!-- instructors -->" and ${close} "<!-- /instructors -->" marks: each part needs both`,
    );
  return readme.replace(INSTRUCTORS_ONLY, '');
}

/** Scripts that need what is withheld are dropped from the copy's package.json. */
function studentPackageJson(): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  for (const name of Object.keys(pkg.scripts))
    if (/grader\/(bench|check-flaky)|check:flaky/.test(`${name} ${pkg.scripts[name]}`))
      delete pkg.scripts[name];
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** An exercise folder the assignment does not assign. */
function notAssigned(path: string, assignment?: Assignment): boolean {
  const id = /^exercises\/([^/]+)$/.exec(path.split(sep).join('/'))?.[1];
  return (
    assignment !== undefined && id !== undefined && !assignment.exercises.some((e) => e.id === id)
  );
}

/** course.json listing only the assignment's exercises, in course order. */
function assignedCourseJson(assignment: Assignment): string {
  const course = JSON.parse(readFileSync(join(repoRoot, 'exercises/course.json'), 'utf8')) as {
    exercises: { id: string }[];
  };
  const exercises = course.exercises.filter((e) => assignment.exercises.some((a) => a.id === e.id));
  return `${JSON.stringify({ ...course, exercises }, null, 2)}\n`;
}

/** The README's example exercise (04-mutex), made one the copy has when the assignment leaves it out. */
function forAssignment(readme: string, assignment?: Assignment): string {
  const ids = assignment?.exercises.map((e) => e.id) ?? [];
  return ids.length === 0 || ids.includes('04-mutex')
    ? readme
    : readme.replaceAll('04-mutex', ids[0]);
}

export function writeRelease(outDir: string, assignment?: Assignment): string[] {
  if (existsSync(outDir) && readdirSync(outDir).length > 0)
    throw new Error(`${outDir} is not empty: choose a new folder for the student copy`);
  mkdirSync(outDir, { recursive: true });
  for (const path of RELEASED) {
    const from = join(repoRoot, path);
    if (!existsSync(from)) continue;
    cpSync(from, join(outDir, path), {
      recursive: true,
      filter: (src) => {
        const path = relative(repoRoot, src);
        return !isWithheld(path) && !notAssigned(path, assignment);
      },
    });
  }
  writeFileSync(join(outDir, 'package.json'), studentPackageJson());
  writeFileSync(
    join(outDir, 'README.md'),
    forAssignment(studentReadme(readFileSync(join(repoRoot, 'README.md'), 'utf8')), assignment),
  );
  writeFileSync(join(outDir, VERSION_FILE), `${courseVersion()}\n`);
  if (assignment)
    writeFileSync(join(outDir, 'exercises/course.json'), assignedCourseJson(assignment));
  return listFiles(outDir);
}

/** Files under dir, relative to base, not descending into folders `skip` names (relative paths). */
export function listFiles(
  dir: string,
  base = dir,
  skip: (path: string) => boolean = () => false,
): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (skip(relative(base, path))) return [];
    return entry.isDirectory() ? listFiles(path, base, skip) : [relative(base, path)];
  });
}
