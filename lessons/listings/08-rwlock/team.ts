// team: runs one loop in several worker threads at once, for the programs of
// lessons/08-rwlock.md (twoWorkers of listings/04-mutex, for any number of
// workers, and for several runs in one program).
//
// Call it at the top level of a program, once per run, each with its own
// `run` name. The program's file then runs again in each worker: there, the
// team() call of that worker's run does `rounds` rounds of `body` and returns
// null; the others return null at once. In the main thread team() returns,
// once every worker is done, cells 0-7 and how long the slowest loop took.
//
// Cells 0-7 belong to the program. The harness uses the rest:
//   READY        workers at the start line; the loops begin together when all are there
//   MICROS + me  how long worker `me` spent in its loop, in microseconds
import { once } from 'node:events';
import { isMainThread, workerData } from 'node:worker_threads';
import { Segment, getpid, startWorker } from '@ipc-course/shim';

const PROGRAM_CELLS = 8;
const READY = 8;
const MICROS = 9;

export type Body = (segment: Segment, me: number) => void;

interface Task {
  run: string;
  segmentName: string;
  me: number;
  workers: number;
}

function runLoop({ segmentName, me, workers }: Task, rounds: number, body: Body): void {
  const segment = Segment.open(segmentName);
  // The start line: the last to arrive wakes the others (sleeping, not spinning).
  if (segment.add(READY, 1) === workers - 1) segment.notify(READY);
  for (let ready = segment.load(READY); ready < workers; ready = segment.load(READY))
    segment.wait(READY, ready);
  const start = performance.now();
  for (let round = 0; round < rounds; round++) body(segment, me);
  segment.store(MICROS + me, Math.round((performance.now() - start) * 1000));
  segment.close();
}

export async function team(
  programUrl: string,
  run: string,
  workers: number,
  rounds: number,
  body: Body,
): Promise<{ cells: number[]; ms: number } | null> {
  if (!isMainThread) {
    const task = workerData as Task;
    if (task.run === run) runLoop(task, rounds, body);
    return null;
  }
  const segmentName = `ipcc-${getpid()}-team-${run}`;
  const segment = Segment.create(segmentName, 4 * (MICROS + workers));
  try {
    const started = Array.from({ length: workers }, (_, me) =>
      startWorker(programUrl, { run, segmentName, me, workers } satisfies Task),
    );
    await Promise.all(started.map((worker) => once(worker, 'exit')));
    const micros = Array.from({ length: workers }, (_, me) => segment.load(MICROS + me));
    return {
      cells: Array.from({ length: PROGRAM_CELLS }, (_, i) => segment.load(i)),
      ms: Math.max(...micros) / 1000,
    };
  } finally {
    segment.close();
    Segment.unlink(segmentName);
  }
}
