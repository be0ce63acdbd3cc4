// Runs one hidden suite in a process of its own (started by sandbox.ts) and
// sends each event to the parent over the IPC channel. The submission's code
// runs in vitest's forks below this process, which have no channel to the parent.
import { runSuite, type SuiteRun } from './run-vitest.ts';
import type { ChildMessage } from './sandbox.ts';

const run = JSON.parse(process.argv[2]) as SuiteRun;
const send = (message: ChildMessage) => process.send!(message);

try {
  await runSuite(run, {
    onTests: (names) => send({ kind: 'tests', names }),
    onResult: (row) => send({ kind: 'result', row }),
    onError: (message) => send({ kind: 'error', message }),
  });
  send({ kind: 'done' });
} catch (error) {
  send({
    kind: 'error',
    message: `the grader could not run the suite: ${(error as Error).stack ?? error}`,
  });
}
process.disconnect();
