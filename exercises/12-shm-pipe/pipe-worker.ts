// Worker for the visible tests' cross-thread checks: attaches to the shared
// pipe, then plays one side of it.
//   role 'writer': writes `count` bytes 0, 1, 2, ... (mod 251) in writes of
//     1 .. chunk bytes, then closes the writer;
//   role 'reader': reads (up to `chunk` bytes a read) until end of file and
//     sends back how many bytes it read and the first one out of place.
//   role 'blocked-writer': writes `count` bytes once and sends back what happened.
// Messages to the test: 'ready' once attached, then its result.
import { parentPort, workerData } from 'node:worker_threads';
import { Segment } from '@ipc-course/shim';
import { ShmPipe } from './shm-pipe.ts';

// The pipe starts at byte 64; keep in sync with the test.
const PIPE_OFFSET = 64;

const { name, role, count, chunk } = workerData as {
  name: string;
  role: 'writer' | 'reader' | 'blocked-writer';
  count: number;
  chunk: number;
};
const segment = Segment.open(name);
const pipe = new ShmPipe(segment, PIPE_OFFSET);
parentPort!.postMessage('ready');

if (role === 'writer') {
  const bytes = Uint8Array.from({ length: count }, (_, i) => i % 251);
  for (let at = 0, size = 1; at < count; at += size, size = 1 + ((size * 7) % chunk)) {
    pipe.write(bytes.subarray(at, Math.min(count, at + size))); // sizes 1 .. chunk, mixed
  }
  pipe.closeWriter();
  parentPort!.postMessage({ wrote: count });
} else if (role === 'reader') {
  let read = 0;
  let problem = '';
  for (let got = pipe.read(chunk, 10_000); got?.length; got = pipe.read(chunk, 10_000)) {
    for (let i = 0; i < got.length && !problem; i++)
      if (got[i] !== (read + i) % 251) problem = `byte ${read + i} is ${got[i]}`;
    read += got.length;
  }
  parentPort!.postMessage({ read, problem });
} else {
  try {
    parentPort!.postMessage({ returned: pipe.write(new Uint8Array(count)) });
  } catch (error) {
    parentPort!.postMessage({ code: (error as { code?: string }).code ?? String(error) });
  }
}
segment.close();
