// inWorkers: runs one function in several worker threads at once, over one
// segment of `cells` cells, for the programs of lessons/10-bounded-buffer.md
// (crowd of listings/05-semaphore, with room for a ring).
//
// Call it at the top level of a program. The program's file then runs again in
// each worker: there, inWorkers() runs `body` once and returns null. In the
// main thread it returns the cells once every worker is done. The last cell is
// the start line: the bodies begin together when it reaches `workers`.
import { once } from 'node:events';
import { isMainThread, workerData } from 'node:worker_threads';
import { Segment, getpid, startWorker } from '@ipc-course/shim';

export type Body = (segment: Segment, me: number) => void;

export async function inWorkers(
  programUrl: string,
  options: { workers: number; cells: number },
  body: Body,
): Promise<number[] | null> {
  const ready = options.cells; // the start line, after the program's cells
  if (!isMainThread) {
    const { segmentName, me } = workerData as { segmentName: string; me: number };
    const segment = Segment.open(segmentName);
    if (segment.add(ready, 1) === options.workers - 1) segment.notify(ready);
    for (let n = segment.load(ready); n < options.workers; n = segment.load(ready))
      segment.wait(ready, n);
    body(segment, me);
    segment.close();
    return null;
  }
  const segmentName = `ipcc-${getpid()}-workers`;
  const segment = Segment.create(segmentName, 4 * (options.cells + 1));
  try {
    const workers = Array.from({ length: options.workers }, (_, me) =>
      startWorker(programUrl, { segmentName, me }),
    );
    await Promise.all(workers.map((worker) => once(worker, 'exit')));
    return Array.from({ length: options.cells }, (_, i) => segment.load(i));
  } finally {
    segment.close();
    Segment.unlink(segmentName);
  }
}
