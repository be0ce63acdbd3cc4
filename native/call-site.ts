// Where learner code made a shim call, for the trace of a controlled run: the
// first frame of the call stack outside the shim's own files, as "mutex.ts:71".
// Only controlled runs ask (one stack per shim call costs nothing that matters
// there). A submission can change how stacks print; then the answer is '' or
// whatever it made up, and only its own report reads worse.
import { fileURLToPath } from 'node:url';

const shimDir = fileURLToPath(new URL('.', import.meta.url));
const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):\d+\)?$/;

function fileOf(location: string): string {
  return location.startsWith('file://') ? fileURLToPath(location) : location;
}

/** "file.ts:line" of the nearest caller outside native/ and Node's internals, or ''. */
export function callSite(): string {
  const limit = Error.stackTraceLimit;
  let stack: unknown;
  try {
    Error.stackTraceLimit = 16;
    stack = new Error().stack;
  } catch {
    return '';
  } finally {
    Error.stackTraceLimit = limit;
  }
  if (typeof stack !== 'string') return '';
  for (const line of stack.split('\n').slice(1)) {
    const match = FRAME.exec(line.trim());
    if (!match || match[1].startsWith('node:')) continue;
    let file: string;
    try {
      file = fileOf(match[1]);
    } catch {
      continue;
    }
    if (file.startsWith(shimDir)) continue;
    return `${file.slice(file.lastIndexOf('/') + 1)}:${match[2]}`;
  }
  return '';
}
