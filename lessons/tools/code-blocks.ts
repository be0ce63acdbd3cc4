// Reads a lesson (markdown) into the things the lesson tests check: its ```ts
// blocks, each with what the test must do with it, and its links.
//
// Fence conventions (lessons/README.md explains them to authors):
//   ```ts                      a complete program: type-checked, run, must exit 0
//   ```ts fails                a complete program: type-checked, run, must exit non-zero
//   ```ts fragment             type-checked only
//   ```ts expect-error[=TSnnnn] must NOT type-check (with that error code, if given)
//   ```ts listing=PATH         must equal the file lessons/PATH (type-checked as a file)
//   ```text output             after a program or fails block: its expected stdout
// Every other fence (sh, c, text without "output", ...) is prose and is not checked.
import MarkdownIt from 'markdown-it';

export type BlockKind = 'program' | 'fails' | 'fragment' | 'expect-error' | 'listing';

export interface CodeBlock {
  /** 1-based line of the opening fence in the lesson. */
  line: number;
  kind: BlockKind;
  code: string;
  /** For expect-error=TSnnnn: the error code the checker must report. */
  errorCode?: string;
  /** For listing=PATH: the path, relative to the lessons folder. */
  listing?: string;
  /** The ```text output fence that follows a program or fails block. */
  output?: { line: number; text: string };
}

export interface Link {
  line: number;
  href: string;
}

export interface Lesson {
  blocks: CodeBlock[];
  links: Link[];
  /** Misused conventions, each with its line: every one fails a test. */
  problems: string[];
}

const markdown = new MarkdownIt({ html: false });
const RUNNABLE: ReadonlySet<BlockKind> = new Set(['program', 'fails']);

/** The kind of a ```ts fence from its flags, or an error message. */
function classify(flags: string[]): Pick<CodeBlock, 'kind' | 'errorCode' | 'listing'> | string {
  if (flags.length === 0) return { kind: 'program' };
  if (flags.length > 1) return `one flag per block, got "${flags.join(' ')}"`;
  const [name, value] = flags[0].split('=', 2);
  if (name === 'fails' && value === undefined) return { kind: 'fails' };
  if (name === 'fragment' && value === undefined) return { kind: 'fragment' };
  if (name === 'expect-error') {
    if (value !== undefined && !/^TS\d+$/.test(value))
      return `expect-error=${value}: the code must look like TS2322`;
    return { kind: 'expect-error', errorCode: value };
  }
  if (name === 'listing' && value) return { kind: 'listing', listing: value };
  return `unknown flag "${flags[0]}" (known: fails, fragment, expect-error[=TSnnnn], listing=PATH)`;
}

/** The 1-based line where `needle` first appears within lines [from, to) of the source, else `from`. */
function lineOf(sourceLines: string[], from: number, to: number, needle: string): number {
  for (let i = from; i < to; i++) if (sourceLines[i].includes(needle)) return i + 1;
  return from + 1;
}

export function parseLesson(source: string): Lesson {
  const tokens = markdown.parse(source, {});
  const sourceLines = source.split('\n');
  const lesson: Lesson = { blocks: [], links: [], problems: [] };
  let lastRunnable: CodeBlock | undefined; // the program an output fence may belong to

  for (const token of tokens) {
    const line = (token.map?.[0] ?? 0) + 1;
    if (token.type === 'fence') {
      const [lang = '', ...flags] = token.info.trim().split(/\s+/);
      if (lang === 'text' && flags.includes('output')) {
        if (lastRunnable === undefined) {
          lesson.problems.push(
            `line ${line}: a text output fence must follow a ts program (or ts fails) block`,
          );
        } else {
          lastRunnable.output = { line, text: token.content };
        }
      } else if (lang === 'ts') {
        const kind = classify(flags);
        if (typeof kind === 'string') {
          lesson.problems.push(`line ${line}: ${kind}`);
        } else {
          lesson.blocks.push({ line, code: token.content, ...kind });
        }
      }
      // The output fence may only be the next fence after its program.
      const last = lesson.blocks.at(-1);
      lastRunnable =
        lang === 'ts' && last?.line === line && RUNNABLE.has(last.kind) ? last : undefined;
    } else if (token.type === 'inline' && token.map) {
      for (const child of token.children ?? []) {
        const attribute =
          child.type === 'link_open' ? 'href' : child.type === 'image' ? 'src' : null;
        const href = attribute === null ? '' : String(child.attrGet(attribute) ?? '');
        if (href)
          lesson.links.push({
            href,
            line: lineOf(sourceLines, token.map[0], token.map[1], `](${href}`),
          });
      }
    }
  }
  return lesson;
}

/** A link to a file of this repository (not a web address, mail address or in-page anchor). */
export function isRelativeLink(href: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('#') && !href.startsWith('//');
}
