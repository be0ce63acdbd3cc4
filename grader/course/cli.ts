// npm run course -- COMMAND: the course's own commands (argument parsing only).
import { parseArgs } from 'node:util';
import { writeGradescopeBundle } from './gradescope.ts';
import { writeRelease } from './release.ts';

const usage = `Usage: npm run course -- COMMAND [options]

Commands for instructors:
  release --out DIR          write a student copy: lessons, shim, exercises (starters and visible
                             tests); no solutions, hidden suites or known-buggy corpus
  gradescope --out FILE.zip  write a Gradescope autograder bundle (setup.sh, run_autograder, the course)`;

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', default: false } } });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return command || values.help ? 0 : 2;
  }
  if (command === 'release' || command === 'gradescope') {
    if (!values.out) throw new Error(`${command} needs --out`);
    if (command === 'release') {
      const files = writeRelease(values.out);
      console.log(`wrote a student copy of ${files.length} files to ${values.out}\nthere: npm install && npm test; learners grade with npm run grade -- exercises`);
    } else {
      const count = writeGradescopeBundle(values.out);
      console.log(`wrote ${values.out} (${count} files): upload it as the autograder in Gradescope's "Configure Autograder"`);
    }
    return 0;
  }
  console.error(`course: unknown command "${command}"\n\n${usage}`);
  return 2;
}

try {
  process.exit(main(process.argv.slice(2)));
} catch (error) {
  console.error(`course: ${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}
