// The lesson checker's own rules: how fences are read and how output is compared.
import { describe, expect, it } from 'vitest';
import { isRelativeLink, parseLesson } from './code-blocks.ts';
import { compareOutput } from './expected-output.ts';

const fence = (info: string, body: string) => `\`\`\`${info}\n${body}\n\`\`\``; // 3 lines

describe('parseLesson', () => {
  const source = [
    '# Title', // 1
    '', // 2
    fence('ts', 'console.log(1);'), // 3-5
    'It prints:', // 6
    '', // 7
    fence('text output', '1'), // 8-10
    fence('ts fragment', 'let x = 1;'), // 11-13
    fence('ts expect-error=TS2322', 'const y: number = "no";'), // 14-16
    fence('ts fails', 'process.exit(1);'), // 17-19
    fence('ts listing=listings/a.ts', 'export {};'), // 20-22
    fence('sh', 'npm test'), // 23-25
    'See [the task](../exercises/04-mutex/README.md) and [Drepper](https://example.org/futex.pdf).', // 26
  ].join('\n');
  const lesson = parseLesson(source);

  it('gives each ts block its kind, code and fence line; other languages are prose', () => {
    expect(lesson.blocks.map((b) => [b.line, b.kind])).toEqual([
      [3, 'program'],
      [11, 'fragment'],
      [14, 'expect-error'],
      [17, 'fails'],
      [20, 'listing'],
    ]);
    expect(lesson.blocks[0].code).toBe('console.log(1);\n');
    expect(lesson.blocks[2].errorCode).toBe('TS2322');
    expect(lesson.blocks[4].listing).toBe('listings/a.ts');
    expect(lesson.problems).toEqual([]);
  });

  it('attaches a text output fence to the program just before it, prose in between allowed', () => {
    expect(lesson.blocks[0].output).toEqual({ line: 8, text: '1\n' });
    expect(lesson.blocks[3].output).toBeUndefined();
  });

  it('finds links with their lines', () => {
    expect(lesson.links).toEqual([
      { href: '../exercises/04-mutex/README.md', line: 26 },
      { href: 'https://example.org/futex.pdf', line: 26 },
    ]);
    expect(lesson.links.map((l) => isRelativeLink(l.href))).toEqual([true, false]);
    expect(isRelativeLink('#the-futex')).toBe(false);
  });

  it('reports misused conventions with their line', () => {
    const bad = parseLesson(
      [fence('ts fragment', 'x'), fence('text output', '1'), fence('ts fast', 'y')].join('\n'),
    );
    expect(bad.problems).toEqual([
      'line 4: a text output fence must follow a ts program (or ts fails) block',
      'line 7: unknown flag "fast" (known: fails, fragment, expect-error[=TSnnnn], listing=PATH)',
    ]);
  });
});

describe('compareOutput', () => {
  it('accepts equal text, ignoring trailing spaces and trailing empty lines', () => {
    expect(compareOutput('a\nb\n', 'a  \nb\n\n')).toBeNull();
  });

  it('lets <n> stand for one number and … for any text in a line', () => {
    expect(compareOutput('total <n> of 2000000', 'total 1,366,128 of 2000000')).toBeNull();
    expect(compareOutput('took <n> ms', 'took 0.25 ms')).toBeNull();
    expect(compareOutput('pid <n>: …!', 'pid 4242: hello there!')).toBeNull();
    expect(compareOutput('took <n> ms', 'took many ms')).toMatch(/^line 1: expected/);
  });

  it('says where the output parts from the expected text', () => {
    expect(compareOutput('a\nb', 'a\nc')).toBe('line 2: expected "b"\n        got "c"');
    expect(compareOutput('a\nb', 'a')).toBe('line 2: expected "b", but the output ended');
    expect(compareOutput('a', 'a\nb')).toBe('line 2: printed more than expected: "b"');
  });

  it('treats regular-expression characters literally', () => {
    expect(compareOutput('cells [0, 4) (x.y)', 'cells [0, 4) (x.y)')).toBeNull();
    expect(compareOutput('a.c', 'abc')).not.toBeNull();
  });
});
