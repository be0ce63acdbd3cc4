// inWorkers: runs one function in several worker threads at once, for the
// barriers of lessons/07-barrier.md.
//
// Call it at the top level of a program. The program's file then runs again in
// each worker: there, inWorkers() calls `body` once and returns null. In the
// main thread it returns, once every worker is done, the first cells of their
// shared segment, how long the slowest body took, and the CPU time they used.
//
// Cells 0-31 belong to the program. The harness uses the rest:
//   READY       workers at the start line; the bodies begin together when all are there
//   WALL + me   how long worker `me` spent in its body, in microseconds
//   CPU + me    CPU time worker `me` used in its body, in microseconds
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { isMainThread, workerData } from 'node:worker_threads';
import { Segment, getpid, startWorker } from '@ipc-course/shim';

const PROGRAM_CELLS = 32;
const MAX_WORKERS = 8;
const READY = 32;
const WALL = 33;
const CPU = WALL + MAX_WORKERS;

export type Body = (segment: Segment, me: number, workers: number) => void;

export interface Finished {
  /** Cells 0-31 after every body returned. */
  cells: number[];
  /** The slowest worker's time in its body. */
  ms: number;
  /** CPU time all workers used in their bodies, together. */
  cpuMs: number;
}

/** CPU time of the calling thread, from Linux's /proc/thread-self/schedstat. */
function threadCpuMicros(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;
}

function runBody(body: Body): void {
  const { segmentName, me, workers } = workerData as {
    segmentName: string;
    me: number;
    workers: number;
  };
  const segment = Segment.open(segmentName);
  // The start line: the last to arrive wakes the others (sleeping, not spinning).
  if (segment.add(READY, 1) === workers - 1) segment.notify(READY);
  for (let ready = segment.load(READY); ready < workers; ready = segment.load(READY))
    segment.wait(READY, ready);
  const start = performance.now();
  const cpuStart = threadCpuMicros();
  body(segment, me, workers);
  segment.store(CPU + me, Math.round(threadCpuMicros() - cpuStart));
  segment.store(WALL + me, Math.round((performance.now() - start) * 1000));
  segment.close();
}

export async function inWorkers(
  programUrl: string,
  workers: number,
  body: Body,
): Promise<Finished | null> {
  if (!isMainThread) {
    runBody(body);
    return null;
  }
  if (workers < 1 || workers > MAX_WORKERS)
    throw new RangeError(`inWorkers: 1 to ${MAX_WORKERS} workers, got ${workers}`);
  const segmentName = `ipcc-${getpid()}-in-workers`;
  const segment = Segment.create(segmentName, 4 * (CPU + MAX_WORKERS));
  try {
    const started = Array.from({ length: workers }, (_, me) =>
      startWorker(programUrl, { segmentName, me, workers }),
    );
    await Promise.all(started.map((worker) => once(worker, 'exit')));
    const cells = Array.from({ length: PROGRAM_CELLS }, (_, i) => segment.load(i));
    const times = Array.from({ length: workers }, (_, me) => segment.load(WALL + me));
    const cpus = Array.from({ length: workers }, (_, me) => segment.load(CPU + me));
    return { cells, ms: Math.max(...times) / 1000, cpuMs: cpus.reduce((a, b) => a + b, 0) / 1000 };
  } finally {
    segment.close();
    Segment.unlink(segmentName);
  }
}
