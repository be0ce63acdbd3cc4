// HOSTILE: no mutual exclusion, and tests of its own, registered while the
// suite imports it: five that always pass (named so a name filter ending in
// the contract test's name still runs them), and a second, passing test with
// the exclusion test's exact name.
import type { Segment } from '@ipc-course/shim';

const CONTRACT = 'follows the contract on one thread: init, tryLock, unlock, EPERM';
const EXCLUSION = 'never lets two holders in at once (4 workers + 2 processes)';

const vitest = await import('vitest').catch(() => null);
try {
  for (let i = 1; i <= 5; i++) vitest?.test(`bonus ${i}: ${CONTRACT}`, () => {});
  vitest?.test(EXCLUSION, () => {});
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
    return true;
  }
  lock(): boolean {
    return true;
  }
  unlock(): void {}
  async lockAsync(): Promise<boolean> {
    return true;
  }
}
