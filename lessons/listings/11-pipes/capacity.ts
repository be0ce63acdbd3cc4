// How much a pipe holds: a worker writes 1 KiB at a time while nobody reads, and
// the main thread waits until the count stops growing; then it closes the read
// end, and the blocked write fails with EPIPE (lessons/11-pipes.md).
import { once } from 'node:events';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { close, hasCode, pipe, startWorker, write } from '@ipc-course/shim';

if (isMainThread) {
  const [readFd, writeFd] = pipe();
  const written = new Int32Array(new SharedArrayBuffer(4)); // bytes the writer got into the pipe
  const writer = startWorker(import.meta.url, { writeFd, written });
  // Nobody reads. Wait until the count has stopped growing for 300 ms.
  let last = -1;
  for (let still = 0; still < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = Atomics.load(written, 0);
    still = now > 0 && now === last ? still + 1 : 0;
    last = now;
  }
  console.log(`the writer is blocked after ${last} bytes (${last / 1024} KiB)`);
  close(readFd); // no reader left: the blocked write fails
  const [outcome] = await once(writer, 'message');
  console.log(`then the last reader closed, and write threw ${outcome}`);
  close(writeFd);
} else {
  const { writeFd, written } = workerData as { writeFd: number; written: Int32Array };
  const chunk = new Uint8Array(1024);
  try {
    for (;;) {
      write(writeFd, chunk); // blocks once the pipe is full
      Atomics.add(written, 0, chunk.length);
    }
  } catch (error) {
    parentPort!.postMessage(hasCode(error, 'EPIPE') ? 'EPIPE' : String(error));
  }
}
