// crowd: runs one loop in several worker threads at once, for the programs of
// lessons/05-semaphore.md. It is twoWorkers (listings/04-mutex/two-workers.ts)
// for any number of workers, with initial values for the program's cells.
//
// Call it at the top level of a program. The program's file then runs again in
// each worker: there, crowd() runs `body` `rounds` times and returns null. In
// the main thread it returns the program's cells once every worker is done.
//
// Cells 0-7 belong to the program. The harness uses cell 8 (READY): workers at
// the start line; the loops begin together when it reaches `workers`.
import { once } from 'node:events';
import { isMainThread, workerData } from 'node:worker_threads';
import { Segment, getpid, startWorker } from '@ipc-course/shim';

const PROGRAM_CELLS = 8;
const READY = 8;

export interface CrowdOptions {
  workers: number;
  rounds: number;
  /** Values of cells 0, 1, ... before any worker starts. */
  initial?: number[];
}

export type Body = (segment: Segment, me: number) => void;

function runLoop(rounds: number, body: Body): void {
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
  for (let round = 0; round < rounds; round++) body(segment, me);
  segment.close();
}

export async function crowd(
  programUrl: string,
  options: CrowdOptions,
  body: Body,
): Promise<number[] | null> {
  if (!isMainThread) {
    runLoop(options.rounds, body);
    return null;
  }
  const segmentName = `ipcc-${getpid()}-crowd`;
  const segment = Segment.create(segmentName, 4 * (PROGRAM_CELLS + 1));
  try {
    (options.initial ?? []).forEach((value, cell) => segment.store(cell, value));
    const workers = Array.from({ length: options.workers }, (_, me) =>
      startWorker(programUrl, { segmentName, me, workers: options.workers }),
    );
    await Promise.all(workers.map((worker) => once(worker, 'exit')));
    return Array.from({ length: PROGRAM_CELLS }, (_, i) => segment.load(i));
  } finally {
    segment.close();
    Segment.unlink(segmentName);
  }
}
