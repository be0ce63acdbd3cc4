// A setup file for graded runs: it runs before the suite imports the submission,
// remembers the built-ins the suites rely on, and after each test fails it if
// any was replaced. A submission that patches Atomics.add or performance.now
// could otherwise fake a passing check.
import { afterEach } from 'vitest';

const watched: [string, object, string[]][] = [
  [
    'Atomics',
    Atomics,
    [
      'load',
      'store',
      'add',
      'sub',
      'exchange',
      'compareExchange',
      'and',
      'or',
      'xor',
      'wait',
      'notify',
    ],
  ],
  ['Math', Math, ['max', 'min', 'abs', 'floor', 'round', 'random']],
  ['JSON', JSON, ['parse', 'stringify']],
  ['Object', Object, ['keys', 'values', 'entries', 'is', 'freeze', 'assign']],
  [
    'Array.prototype',
    Array.prototype,
    ['map', 'filter', 'reduce', 'some', 'every', 'includes', 'push', 'join'],
  ],
  ['Promise', Promise, ['all', 'race', 'resolve']],
  ['performance', performance, ['now']],
  ['Date', Date, ['now']],
  [
    'globalThis',
    globalThis,
    [
      'setTimeout',
      'setInterval',
      'clearTimeout',
      'clearInterval',
      'setImmediate',
      'Promise',
      'Atomics',
      'Math',
      'performance',
      'Date',
      'Object',
      'Array',
      'JSON',
      'SharedArrayBuffer',
      'Int32Array',
    ],
  ],
];
const original = watched.map(([, owner, keys]) =>
  keys.map((key) => (owner as Record<string, unknown>)[key]),
);

export function replacedBuiltins(): string[] {
  const replaced: string[] = [];
  watched.forEach(([label, owner, keys], i) => {
    keys.forEach((key, j) => {
      if ((owner as Record<string, unknown>)[key] !== original[i][j])
        replaced.push(`${label}.${key}`);
    });
  });
  return replaced;
}

if (process.env.IPC_GRADER_BEACON) {
  afterEach(() => {
    const replaced = replacedBuiltins();
    if (replaced.length > 0) {
      throw new Error(
        `tampering: the submission replaced built-ins the grader relies on (${replaced.join(', ')}); this test cannot be trusted and scores 0`,
      );
    }
  });
}
