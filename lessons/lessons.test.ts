// Tested lessons: every ```ts block in lessons/*.md is type-checked, and every
// complete program is run and its output compared, so no lesson rots. Every
// relative link must lead to a file. Conventions: lessons/README.md.
//
// Each block is written as a hidden sibling file (lessons/.04-mutex.L12.<pid>.ts)
// so that its relative imports and URLs resolve as they read in the lesson;
// the files are removed after the run.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRelativeLink, parseLesson, type CodeBlock } from './tools/code-blocks.ts';
import { compareOutput } from './tools/expected-output.ts';
import {
  removeLeakedSegments,
  runProgram,
  typeCheck,
  type Diagnostic,
  type RunResult,
} from './tools/run-block.ts';

const lessonsDir = fileURLToPath(new URL('.', import.meta.url));
const RUN_TIMEOUT_MS = 20_000;
const lessonFiles = readdirSync(lessonsDir)
  .filter((file) => file.endsWith('.md'))
  .sort();

interface Item {
  where: string; // "04-mutex.md:12"
  block: CodeBlock;
  file: string; // the file tsc checks and node runs
}

const lessons = lessonFiles.map((name) => {
  const lesson = parseLesson(readFileSync(path.join(lessonsDir, name), 'utf8'));
  const items: Item[] = lesson.blocks.map((block) => ({
    where: `${name}:${block.line}`,
    block,
    file: block.listing
      ? path.join(lessonsDir, block.listing)
      : path.join(lessonsDir, `.${path.basename(name, '.md')}.L${block.line}.${process.pid}.ts`),
  }));
  return { name, lesson, items };
});
const extracted = lessons.flatMap(({ items }) => items).filter((item) => !item.block.listing);
let diagnostics = new Map<string, Diagnostic[]>();

beforeAll(async () => {
  for (const { file, block } of extracted) writeFileSync(file, block.code);
  const checked = lessons
    .flatMap(({ items }) => items)
    .map((item) => item.file)
    .filter(existsSync);
  if (checked.length > 0) diagnostics = await typeCheck(checked, lessonsDir);
}, 60_000);

afterAll(() => {
  for (const { file } of extracted) rmSync(file, { force: true });
});

/** The type errors of a block, each at its line in the lesson. */
function typeErrors({ where, block, file }: Item): string[] {
  const [name] = where.split(':');
  return (diagnostics.get(file) ?? []).map(
    (d) => `${name}:${block.line + d.line}: ${d.code} ${d.message}`,
  );
}

function expectNoTypeErrors(item: Item): void {
  const errors = typeErrors(item);
  if (errors.length > 0) throw new Error(`the block does not type-check:\n${errors.join('\n')}`);
}

function report(result: RunResult): string {
  const tail = (text: string) => (text.length > 3000 ? `…${text.slice(-3000)}` : text);
  return (
    `exit code ${result.code}${result.signal ? ` (signal ${result.signal})` : ''}\n` +
    `--- stdout ---\n${tail(result.stdout)}--- stderr ---\n${tail(result.stderr)}`
  );
}

async function runAndCheck(item: Item, mustSucceed: boolean): Promise<void> {
  expectNoTypeErrors(item);
  const result = await runProgram(item.file, RUN_TIMEOUT_MS);
  if (result.timedOut)
    throw new Error(`did not finish within ${RUN_TIMEOUT_MS / 1000} s (killed)\n${report(result)}`);
  const leaked = removeLeakedSegments(result.pid);
  if (leaked.length > 0)
    throw new Error(`left shared memory behind (unlink it in a finally): ${leaked.join(', ')}`);
  if (mustSucceed && result.code !== 0)
    throw new Error(`should exit with code 0\n${report(result)}`);
  if (!mustSucceed && result.code === 0)
    throw new Error(`is marked "fails" but exited with code 0\n${report(result)}`);
  const { output } = item.block;
  if (output) {
    const mismatch = compareOutput(output.text, result.stdout);
    if (mismatch)
      throw new Error(
        `stdout differs from the output block at line ${output.line}: ${mismatch}\n${report(result)}`,
      );
  }
}

function title({ where, block }: Item): string {
  switch (block.kind) {
    case 'program':
      return `${where} runs${block.output ? ' and prints its output' : ''}`;
    case 'fails':
      return `${where} fails as the lesson says${block.output ? ', printing its output' : ''}`;
    case 'fragment':
      return `${where} type-checks`;
    case 'expect-error':
      return `${where} is rejected by the type checker${block.errorCode ? ` with ${block.errorCode}` : ''}`;
    case 'listing':
      return `${where} shows ${block.listing} as it is`;
  }
}

async function check(item: Item): Promise<void> {
  const { block, file } = item;
  switch (block.kind) {
    case 'program':
      return runAndCheck(item, true);
    case 'fails':
      return runAndCheck(item, false);
    case 'fragment':
      return expectNoTypeErrors(item);
    case 'expect-error': {
      const codes = (diagnostics.get(file) ?? []).map((d) => d.code);
      if (codes.length === 0) throw new Error('is marked expect-error but type-checks');
      if (block.errorCode && !codes.includes(block.errorCode)) {
        throw new Error(
          `should fail with ${block.errorCode}; got:\n${typeErrors(item).join('\n')}`,
        );
      }
      return;
    }
    case 'listing': {
      if (!existsSync(file)) throw new Error(`lessons/${block.listing} does not exist`);
      expect(block.code, `the block differs from lessons/${block.listing}`).toBe(
        readFileSync(file, 'utf8'),
      );
      return expectNoTypeErrors(item);
    }
  }
}

for (const { name, lesson, items } of lessons) {
  describe(name, () => {
    for (const problem of lesson.problems) {
      it(`${name}: ${problem}`, () => {
        throw new Error(`${name}: ${problem} (see lessons/README.md)`);
      });
    }

    it(`${name}: every relative link leads to a file`, () => {
      const broken = lesson.links
        .filter(({ href }) => isRelativeLink(href))
        .filter(
          ({ href }) =>
            !existsSync(path.resolve(lessonsDir, decodeURI(href.split('#')[0].split('?')[0]))),
        )
        .map(({ href, line }) => `lessons/${name}:${line}: ${href}`);
      expect(broken, 'broken links').toEqual([]);
    });

    for (const item of items) it(title(item), () => check(item), RUN_TIMEOUT_MS + 10_000);
  });
}
