// A setup file for graded runs: before each test, append its name, timeout and
// start time to the file IPC_GRADER_BEACON names, synchronously. The grader
// reads it to kill a test whose thread never yields (so vitest's own timer can
// never fire): vitest's own progress reports are batched and would not arrive.
import { appendFileSync } from 'node:fs';
import { beforeEach } from 'vitest';

const beacon = process.env.IPC_GRADER_BEACON;
if (beacon) {
  beforeEach(({ task }) => {
    appendFileSync(beacon, `${JSON.stringify({ name: task.name, timeoutMs: task.timeout, at: Date.now() })}\n`);
  });
}
