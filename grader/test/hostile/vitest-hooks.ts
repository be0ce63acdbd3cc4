// HOSTILE: no mutual exclusion at all, and vitest hooks that rewrite every
// result to a pass: afterEach and onTestFinished flip the test's state and
// drop its errors before the reporter sees them.
import type { Segment } from '@ipc-course/shim';

type Task = { result?: { state?: string; errors?: unknown[] } };
const forgePass = (task: Task) => {
  if (task.result) {
    task.result.state = 'pass';
    task.result.errors = [];
  }
};

const vitest = await import('vitest').catch(() => null);
try {
  vitest?.beforeEach((context) => {
    context.onTestFinished(() => forgePass(context.task as Task));
    context.onTestFailed(() => forgePass(context.task as Task));
  });
  vitest?.afterEach((context) => forgePass(context.task as Task));
} catch {
  // not inside a test runner: nothing to forge
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
