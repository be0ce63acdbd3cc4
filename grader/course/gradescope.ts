// A Gradescope autograder bundle: setup.sh and run_autograder at the top of a
// zip, the course (with its hidden suites) under source/. Gradescope unpacks it
// into /autograder/source, runs setup.sh once to build the image, and
// run_autograder for each submission; results go to /autograder/results/results.json.
// For an assignment, the bundle holds only its exercises' hidden suites and
// grades with --assignment assignments/NAME.json (the file, copied in).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { zipSync } from 'fflate';
import type { Assignment } from '../src/assignment/assignment.ts';
import { VERSION_FILE, courseVersion } from '../src/provenance.ts';
import { repoRoot } from '../src/registry.ts';
import { listFiles } from './release.ts';

const SETUP = `#!/usr/bin/env bash
# Runs once when Gradescope builds the autograder image (Ubuntu).
set -euo pipefail
apt-get update
# bubblewrap: namespaces for the submissions' processes, where the image allows them.
apt-get install -y ca-certificates curl g++ make python3 bubblewrap
# Node 24 (the LTS) from NodeSource, the documented route for Ubuntu images.
curl -fsSL https://deb.nodesource.com/setup_24.x | bash -
apt-get install -y nodejs
cd /autograder/source/source
npm ci
# The course, with its reference solutions, readable by root only: a grading's
# own uid (--sandbox strict) must not reach it even where namespaces are blocked.
chmod 700 /autograder/source
`;

/** The run_autograder script; `assignment` is the --assignment option, or ''. */
export const runAutograder = (assignment: string) => `#!/usr/bin/env bash
# Runs for each submission. Students upload their exercise folders
# (04-mutex/mutex.ts, ...), which Gradescope places in /autograder/submission.
set -uo pipefail
chmod 700 /autograder/source
cd /autograder/source/source
mkdir -p /autograder/results
# strict: every submission process runs as a uid of its own, in namespaces
# where the image allows them; the grader refuses to grade with less.
npm run -s grade -- /autograder/submission${assignment} --sandbox strict --format gradescope --out /autograder/results/out
status=$?
# The grader exits 0, 1 or 2 after writing its results; any other status means it
# was killed, and a file in out/ may then be anyone's, so it is not used.
if [ "$status" -le 2 ] && [ -f /autograder/results/out/gradescope.json ]; then
  cp /autograder/results/out/gradescope.json /autograder/results/results.json
else
  echo '{"score": 0, "output": "The grader failed before writing results (exit '$status'); contact your instructor."}' > /autograder/results/results.json
fi
`;

// .ci/node: the Node that .ci/run fetched (a 120 MB binary), never part of the course.
const SKIP = /(^|\/)(node_modules|\.git|build|\.vitest)(\/|$)|^\.ci\/node(\/|$)/;

/** Suites of exercises the assignment does not grade. */
function otherSuite(path: string, assignment?: Assignment): boolean {
  const id = /^grader\/suites\/([^/]+)/.exec(path)?.[1];
  return (
    assignment !== undefined && id !== undefined && !assignment.exercises.some((e) => e.id === id)
  );
}

export function writeGradescopeBundle(zipPath: string, assignment?: Assignment): number {
  const files: Record<string, Uint8Array | [Uint8Array, { os: number; attrs: number }]> = {};
  const executable = (text: string): [Uint8Array, { os: number; attrs: number }] => [
    new TextEncoder().encode(text),
    { os: 3, attrs: (0o100755 << 16) >>> 0 },
  ];
  files['setup.sh'] = executable(SETUP);
  const bundled = assignment && `assignments/${basename(assignment.file)}`;
  files['run_autograder'] = executable(runAutograder(bundled ? ` --assignment ${bundled}` : ''));
  const skip = (path: string) => SKIP.test(path) || otherSuite(path, assignment);
  for (const path of listFiles(repoRoot, repoRoot, skip))
    files[`source/${path}`] = readFileSync(join(repoRoot, path));
  // Without .git in the bundle, the grade records the version it was built from.
  files[`source/${VERSION_FILE}`] = new TextEncoder().encode(`${courseVersion()}\n`);
  if (assignment) files[`source/${bundled}`] = readFileSync(assignment.file);
  writeFileSync(zipPath, zipSync(files, { level: 6 }));
  return Object.keys(files).length;
}
