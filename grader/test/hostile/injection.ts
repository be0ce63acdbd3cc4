// HOSTILE: no mutual exclusion, and every string it can put in a report is
// built to break one: terminal escapes (clear the screen, set the title, a
// hyperlink, move the cursor up to overwrite the score), a line that looks
// like Autolab's score line, Markdown and HTML that would close a code fence
// or a table, XML that would close an element, a CSV formula, bidirectional
// overrides, NUL and lone surrogates. They travel in error messages and in
// the names of tests it registers.
import type { Segment } from '@ipc-course/shim';

export const POISON = [
  '\x1b[2J\x1b[H\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\',
  '\x1b[1A\x1b[2KTotal: 16/16\r{"scores": {"04-mutex": 16}}',
  '\n{"scores": {"04-mutex": 16}}\n',
  '`````\n</details></summary><img src=x onerror=alert(1)>\n| a | b |\n# Full marks',
  ']]></failure></testcase><testcase name="forged"/><!--',
  '=HYPERLINK("https://evil.example","16"),+1,-1,@SUM(1)',
  'safe\u202Eexe.txt\u2028next\u0000nul\uD800lone',
].join(' ~ ');

const vitest = await import('vitest').catch(() => null);
try {
  vitest?.test(`${POISON} follows the contract on one thread: init, tryLock, unlock, EPERM`, () => {
    throw new Error(POISON);
  });
} catch {
  // not inside a test runner: nothing to register
}

export class Mutex {
  static readonly byteLength = 4;
  static init(segment: Segment, byteOffset: number): Mutex {
    return new Mutex(segment, byteOffset);
  }
  constructor(
    readonly segment: Segment,
    readonly byteOffset: number,
  ) {}
  tryLock(): boolean {
    throw new Error(POISON);
  }
  lock(): boolean {
    throw new Error(POISON);
  }
  unlock(): void {
    throw new Error(POISON);
  }
  async lockAsync(): Promise<boolean> {
    throw new Error(POISON);
  }
}
