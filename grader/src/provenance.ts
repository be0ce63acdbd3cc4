// Which course a grade came from: the commit of this checkout (with "-modified"
// when tracked files differ from it), or, in a copy without git (a Gradescope
// bundle), the COURSE_VERSION file the bundle was built with, or else the
// package version. With the assignment's hash, a regrade can be shown to use
// the same tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Assignment } from './assignment/assignment.ts';
import { repoRoot } from './registry.ts';
import type { GradeReport } from './report.ts';

export const VERSION_FILE = 'COURSE_VERSION';

/** safe.directory: the grader often runs as root (--sandbox strict) in a checkout root does not own. */
function git(args: string[]): string | null {
  const result = spawnSync('git', ['-c', 'safe.directory=*', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 10_000,
  });
  return result.status === 0 ? result.stdout.trim() : null;
}

let cached: string | undefined;

export function courseVersion(): string {
  if (cached) return cached;
  const file = join(repoRoot, VERSION_FILE);
  if (existsSync(file)) return (cached = readFileSync(file, 'utf8').trim());
  const commit = existsSync(join(repoRoot, '.git')) ? git(['rev-parse', 'HEAD']) : null;
  if (commit) {
    const changed = git(['status', '--porcelain', '--untracked-files=no']);
    return (cached = `commit ${commit}${changed ? '-modified' : ''}`);
  }
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  return (cached = `package ${pkg.version}`);
}

/** The report with the course version, and the assignment it was graded for. */
export function stamp(report: GradeReport, assignment?: Assignment): GradeReport {
  return {
    ...report,
    course: courseVersion(),
    ...(assignment
      ? {
          assignment: {
            name: assignment.name,
            hash: assignment.hash,
            visibility: assignment.visibility,
            ...(assignment.due ? { due: assignment.due } : {}),
          },
        }
      : {}),
  };
}
