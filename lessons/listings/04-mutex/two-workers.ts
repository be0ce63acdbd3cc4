// twoWorkers: runs one loop in two worker threads at once, for the races of
// lessons/04-mutex.md.
//
// Call it at the top level of a program. The program's file then runs again in
// each worker: there, twoWorkers() runs `body` up to `rounds` times and returns
// null. In the main thread it returns, once both workers are done, the first
// cells of their shared segment and how long the slower loop took.
//
// Cells 0-7 belong to the program. The harness uses the rest:
//   READY  workers at the start line; the loops begin together when it is 2
//   STOP   1 once a body returned true: both loops end early
//   MICROS + me  how long worker `me` spent in its loop, in microseconds
import { once } from 'node:events';
import { isMainThread, workerData } from 'node:worker_threads';
import { Segment, getpid, startWorker } from '@ipc-course/shim';

const PROGRAM_CELLS = 8;
const READY = 8;
const STOP = 9;
const MICROS = 10; // and 11

export type Body = (segment: Segment, me: 0 | 1) => boolean | void;

export interface Finished {
  /** Cells 0-7 after both loops. */
  cells: number[];
  /** The slower worker's time in its loop. */
  ms: number;
  /** True if a body returned true and ended the loops early. */
  stopped: boolean;
}

function runLoop(rounds: number, body: Body): void {
  const { segmentName, me } = workerData as { segmentName: string; me: 0 | 1 };
  const segment = Segment.open(segmentName);
  // The start line: the last to arrive wakes the other (sleeping, not spinning).
  if (segment.add(READY, 1) === 1) segment.notify(READY);
  while (segment.load(READY) < 2) segment.wait(READY, 1);
  const start = performance.now();
  for (let round = 0; round < rounds && segment.load(STOP) === 0; round++) {
    if (body(segment, me) === true) segment.store(STOP, 1);
  }
  segment.store(MICROS + me, Math.round((performance.now() - start) * 1000));
  segment.close();
}

export async function twoWorkers(
  programUrl: string,
  rounds: number,
  body: Body,
): Promise<Finished | null> {
  if (!isMainThread) {
    runLoop(rounds, body);
    return null;
  }
  const segmentName = `ipcc-${getpid()}-two-workers`;
  const segment = Segment.create(segmentName, 4 * 12);
  try {
    const workers = [0, 1].map((me) => startWorker(programUrl, { segmentName, me }));
    await Promise.all(workers.map((worker) => once(worker, 'exit')));
    const cells = Array.from({ length: PROGRAM_CELLS }, (_, i) => segment.load(i));
    const ms = Math.max(segment.load(MICROS), segment.load(MICROS + 1)) / 1000;
    return { cells, ms, stopped: segment.load(STOP) === 1 };
  } finally {
    segment.close();
    Segment.unlink(segmentName);
  }
}
