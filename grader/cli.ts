// npm run grade -- SUBMISSION [options]: argument parsing only; grader/src does the work.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gradeSubmission } from './src/grade.ts';
import { formatText } from './src/reporters/text.ts';
import { formats } from './src/reporters/index.ts';
import { UsageError } from './src/submission.ts';

const usage = `Usage: npm run grade -- SUBMISSION [options]

Grades SUBMISSION (a copy of exercises/ with your files filled in) with the hidden suites.

Options:
  --exercise ID      grade only this exercise (repeatable; "04-mutex" or "mutex")
  --seed N           schedule seed for race checks (printed with every failure; replays it)
  --format LIST      comma-separated output formats: ${Object.keys(formats).join(', ')} (default text)
  --out DIR          write each format's file into DIR instead of printing it
  --help             this text

Exit code: 0 when grading worked (whatever the score), 1 when the grader failed, 2 for bad arguments.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      exercise: { type: 'string', multiple: true },
      seed: { type: 'string' },
      format: { type: 'string', default: 'text' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one SUBMISSION folder, got ${positionals.length}`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0)) throw new UsageError(`--seed must be a non-negative integer, got "${values.seed}"`);
  const chosen = values.format.split(',').map((f) => f.trim()).filter(Boolean);
  for (const name of chosen) if (!formats[name]) throw new UsageError(`unknown format "${name}"; choose from ${Object.keys(formats).join(', ')}`);

  const report = await gradeSubmission(positionals[0], {
    exercises: values.exercise,
    seed,
    onProgress: (message) => process.stderr.write(`${message}\n`),
  });
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    for (const name of chosen) writeFileSync(join(values.out, formats[name].file), formats[name].render(report));
    process.stdout.write(formatText(report));
  } else {
    for (const name of chosen) process.stdout.write(name === 'text' ? formatText(report) : formats[name].render(report));
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`grade: ${(error as Error).message}\n\n${usage}`);
      process.exit(2);
    }
    console.error(`grade: the grader failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
