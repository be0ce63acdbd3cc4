// Where the submission under test lives. Hidden suites import it in-process as
// `@submission/<id>/<file>` (a vite alias); actors in other threads and
// processes cannot see aliases, so they import it by this file URL instead.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

export function submissionModule(exerciseId: string, file: string): string {
  const dir = process.env.IPC_SUBMISSION_DIR;
  if (!dir)
    throw new Error(
      'IPC_SUBMISSION_DIR is not set: run hidden suites through `npm test` or `npm run grade`',
    );
  return pathToFileURL(join(dir, exerciseId, file)).href;
}
