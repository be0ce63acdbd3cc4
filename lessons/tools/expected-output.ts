// Compares what a lesson's program printed with the ```text output fence under it.
//
// The expected text is matched line by line, after trimming trailing spaces and
// trailing empty lines on both sides. Two placeholders stand for what changes
// from run to run (pids, timings, counts that depend on the schedule):
//   <n>   one number: 42, -7, 3.14, 1,366,128, 2_000_000
//   …     any text within the line (possibly none)
// Everything else must match exactly.

const NUMBER = String.raw`-?\d(?:[\d,_.]*\d)?`;

function lines(text: string): string[] {
  const result = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd());
  while (result.length > 0 && result.at(-1) === '') result.pop();
  return result;
}

/** A regular expression that matches one expected line, placeholders included. */
export function linePattern(expected: string): RegExp {
  const parts = expected.split(/(<n>|…)/);
  const source = parts
    .map((part) =>
      part === '<n>' ? NUMBER : part === '…' ? '.*?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

/** null when `actual` matches `expected`; otherwise a message that shows where they part. */
export function compareOutput(expected: string, actual: string): string | null {
  const want = lines(expected);
  const got = lines(actual);
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (i >= want.length)
      return `line ${i + 1}: printed more than expected: ${JSON.stringify(got[i])}`;
    if (i >= got.length)
      return `line ${i + 1}: expected ${JSON.stringify(want[i])}, but the output ended`;
    if (!linePattern(want[i]).test(got[i])) {
      return `line ${i + 1}: expected ${JSON.stringify(want[i])}\n        got ${JSON.stringify(got[i])}`;
    }
  }
  return null;
}
