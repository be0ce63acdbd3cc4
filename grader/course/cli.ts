// npm run course -- COMMAND: the course's own commands (argument parsing only).
import { parseArgs } from 'node:util';
import type { Assignment } from '../src/assignment/assignment.ts';
import { repoRoot } from '../src/registry.ts';
import { CourseUsageError, findExercise, openCourse } from './course-root.ts';
import { writeGradescopeBundle } from './gradescope.ts';
import { hint } from './hints.ts';
import { writeStarterHashes } from './progress.ts';
import { writeRelease } from './release.ts';
import { status } from './status.ts';
import { currentExercise, verify } from './verify.ts';
import { watch } from './watch.ts';

const usage = `Usage: npm run course -- [COMMAND] [options]

For learners:
  (no command), serve [--port N]   the lessons in your browser, with your progress (127.0.0.1 only)
  status                     every exercise: passed, failing or not started, and the next one to do
  verify [ID]                run the visible tests of exercise ID (default: the next unfinished one)
  hint [ID] [--reset]        the next hint for ID, one more each time; --reset starts over
  watch [ID]                 re-run the tests on every save, and move on when they pass
  build --out DIR            write the lessons as a static site to DIR

For instructors and maintainers:
  release --out DIR          write a student copy: lessons, shim, exercises (starters and visible
                             tests); no solutions, hidden suites or known-buggy corpus
  gradescope --out FILE.zip  write a Gradescope autograder bundle (setup.sh, run_autograder, the course)
    (both take --assignment FILE: only that assignment's exercises, graded with its points
     and showing students what its visibility says)
  assignments                the assignments in assignments/: exercises, points, what students see
  starters                   after changing a starter: record its hash (grader/course/starter-hashes.json)

Exit codes: 0 done, 1 a visible test fails (verify), 2 bad usage.`;

const options = {
  out: { type: 'string' },
  assignment: { type: 'string' },
  port: { type: 'string' },
  reset: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

function needOut(command: string, out: string | undefined): string {
  if (!out) throw new CourseUsageError(`${command} needs --out`);
  return out;
}

/** The --assignment file, loaded only when given; a mistake in it is a usage error. */
async function assignmentOf(file: string | undefined): Promise<Assignment | undefined> {
  if (file === undefined) return undefined;
  const { AssignmentError, loadAssignment } = await import('../src/assignment/assignment.ts');
  try {
    return loadAssignment(file);
  } catch (error) {
    throw error instanceof AssignmentError ? new CourseUsageError(error.message) : error;
  }
}

function parsePort(text: string | undefined): number {
  const port = Number(text ?? 0); // 0: a free port, chosen by the system
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CourseUsageError(`--port ${text}: a port is a whole number from 1 to 65535`);
  return port;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options });
  const [command = 'serve', id, ...extra] = positionals;
  if (values.help) return (void console.log(usage), 0);
  if (extra.length > 0) throw new CourseUsageError(`unexpected "${extra.join(' ')}"`);
  switch (command) {
    case 'serve': {
      const { serveSite } = await import('../site/serve.ts');
      await serveSite(openCourse(), parsePort(values.port));
      return 0;
    }
    case 'build': {
      const { writeSite } = await import('../site/build-site.ts');
      const pages = writeSite(openCourse(), needOut(command, values.out));
      return (
        void console.log(`wrote ${pages} pages to ${values.out}: open ${values.out}/index.html`), 0
      );
    }
    case 'status':
      return (void (await status(openCourse())), 0);
    case 'verify':
      return verify(openCourse(), id);
    case 'hint': {
      const course = openCourse();
      const exercise = id === undefined ? currentExercise(course) : findExercise(course, id);
      if (!exercise) return (void console.log('Every exercise passes: no hint needed.'), 0);
      return (void hint(course, exercise, values.reset), 0);
    }
    case 'watch':
      return (void (await watch(openCourse(), id)), 0);
    case 'starters':
      return (
        void console.log(`recorded ${writeStarterHashes(openCourse(repoRoot))} starter hashes`), 0
      );
    case 'assignments': {
      const { listAssignments } = await import('./assignments.ts');
      return listAssignments() > 0 ? 2 : 0;
    }
    case 'release': {
      const out = needOut(command, values.out);
      const assignment = await assignmentOf(values.assignment);
      const files = writeRelease(out, assignment);
      return (
        void console.log(
          `wrote a student copy of ${files.length} files to ${out}\nthere: npm install && npm test; learners grade with npm run grade -- exercises`,
        ),
        0
      );
    }
    case 'gradescope': {
      const out = needOut(command, values.out);
      const assignment = await assignmentOf(values.assignment);
      const count = writeGradescopeBundle(out, assignment);
      console.log(
        `wrote ${out} (${count} files): upload it as the autograder in Gradescope's "Configure Autograder"`,
      );
      if (assignment) {
        const { level, when } = assignment.visibility;
        console.log(
          `it grades ${assignment.exercises.map((e) => e.id).join(', ')}; students see: ${level}${when === 'after-due-date' ? ` after Gradescope's due date (set it to ${assignment.due})` : ''}`,
        );
      }
      return 0;
    }
  }
  throw new CourseUsageError(`unknown command "${command}"\n\n${usage}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    const hint = error instanceof CourseUsageError ? '' : `\n\n${usage}`;
    console.error(`course: ${error.message}${hint}`);
    process.exit(2);
  },
);
