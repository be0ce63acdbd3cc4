// JSON parsed with the line of every key and value, so an assignment file's
// mistakes can be reported at their line. Syntax errors name their line too.

/** Thrown for text that is not JSON: the line (1-based) and what was expected. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reports a mistake at the line of the value at `path` ("exercises/04-mutex/points"). */
export type Fail = (path: string, problem: string) => never;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export interface LinedJson {
  value: unknown;
  /** The line of each value (and of each object key's value) by path: "", "exercises", "exercises/04-mutex/points", ... */
  lines: Map<string, number>;
}

export function parseWithLines(text: string): LinedJson {
  const lines = new Map<string, number>();
  let at = 0;
  const lineAt = (index: number) => text.slice(0, index).split('\n').length;
  const fail = (what: string): never => {
    const found = at < text.length ? `"${text[at]}"` : 'the end of the file';
    throw new JsonSyntaxError(lineAt(at), `${what}, found ${found}`);
  };
  const space = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const literal = (word: string, value: unknown) => {
    if (text.startsWith(word, at)) return ((at += word.length), value);
    return fail('expected a value');
  };
  const string = (): string => {
    const match = /^"(?:[^"\\\n]|\\.)*"/.exec(text.slice(at));
    if (!match) return fail('expected a string in double quotes');
    let parsed: string;
    try {
      parsed = JSON.parse(match[0]) as string;
    } catch {
      throw new JsonSyntaxError(lineAt(at), 'a string with a bad escape or a raw tab in it');
    }
    at += match[0].length;
    return parsed;
  };
  const value = (path: string): unknown => {
    space();
    lines.set(path, lineAt(at));
    const c = text[at];
    if (c === '{') return object(path);
    if (c === '[') return array(path);
    if (c === '"') return string();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!number) return fail('expected a value');
    at += number[0].length;
    return Number(number[0]);
  };
  const items = (close: string, item: (index: number) => void) => {
    at++;
    space();
    if (text[at] === close) return void at++;
    for (let index = 0; ; index++) {
      item(index);
      space();
      if (text[at] === ',') at++;
      else if (text[at] === close) return void at++;
      else fail(`expected "," or "${close}"`);
    }
  };
  const object = (path: string) => {
    const result: Record<string, unknown> = {};
    items('}', () => {
      space();
      const key = string();
      space();
      if (text[at] !== ':') fail('expected ":" after a key');
      at++;
      const child = path ? `${path}/${key}` : key;
      if (Object.hasOwn(result, key))
        throw new JsonSyntaxError(lineAt(at), `"${key}" appears twice`);
      result[key] = value(child);
    });
    return result;
  };
  const array = (path: string) => {
    const result: unknown[] = [];
    items(']', (index) => result.push(value(path ? `${path}/${index}` : String(index))));
    return result;
  };
  const parsed = value('');
  space();
  if (at < text.length) fail('expected the end of the file');
  return { value: parsed, lines };
}
