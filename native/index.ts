// The shim: the one typed entry point learners, solutions and suites import,
// by the bare name '@ipc-course/shim'.
//
//   Segment              shared memory by name; atomics, futex wait/notify, bytes
//   AtomicsRing          exercise 09's ring on raw Atomics: the yardstick of ring speed
//   ShimError, hasCode   every misuse throws an Error with a stable `code`
//   pipe, mkfifo, ...    the kernel's IPC doors, for lessons and benchmarks
//   pinThread, ...       which CPUs this thread may run on, for benchmarks
//   startWorker, ...     run TypeScript in worker threads and child processes
//   Scratch, errorCode   leave-nothing-behind helpers for tests and demos
//   seededRandom         a repeatable stream of random numbers
// The grader's control, perturbation and subreaper hooks live in internal.ts,
// which submissions cannot import.
import { isMainThread, threadId as workerThreadId } from 'node:worker_threads';
import { native, type WaitingThread } from './binding.ts';
import { control } from './control.ts';

export type { WaitingThread };

export { Segment, type WaitResult } from './segment.ts';
export { AtomicsRing } from './atomics-ring.ts';
export { ShimError, hasCode, type ShimErrorCode } from './errors.ts';
export {
  pipe,
  mkfifo,
  openFifo,
  read,
  write,
  close,
  flock,
  MessageQueue,
  type MessageQueueOptions,
} from './doors.ts';
export { startWorker, startProcess, stopWorker } from './spawn.ts';
export { Scratch, errorCode, errorCodeAsync } from './scratch.ts';
export { seededRandom } from './perturb.ts';

native.registerThread(workerThreadId);
if (isMainThread) {
  // process.exit() joins worker threads; one asleep in a futex would hang it forever.
  process.on('exit', () => native.abortAllThreads());
}

/** This process's id. */
export function getpid(): number {
  return native.getpid();
}

/** The kernel's id of the calling thread (gettid(2)); differs in every worker. */
export function threadId(): number {
  return native.gettid();
}

/** sched_yield(2): give the CPU to another runnable thread. */
export function yieldThread(): void {
  if (control.point) control.point.enter('', 'yield', 0, 0, 0, null);
  else native.yieldThread();
}

/**
 * Ends every futex wait of worker `threadId` (its Worker.threadId) in this
 * process, now and later, with an error of code EABORTED. For harnesses that
 * must stop a stuck worker: worker.terminate() alone cannot interrupt a wait.
 */
export function abortThread(threadId: number): boolean {
  return native.abortThread(threadId);
}

/**
 * Every futex wait in progress in this process (any thread, sync or async):
 * for hang reports that say who sleeps on which cell and what the cell holds.
 */
export function waitingThreads(): WaitingThread[] {
  return native.listWaits();
}

/** How waits behave here: IPC_SHIM_SLICE_MS and IPC_SHIM_WAIT_LIMIT_MS (see README). */
export function waitSettings(): { sliceMs: number; limitMs: number } {
  return native.waitSettings();
}

/**
 * Lets the calling thread run only on the CPUs listed (sched_setaffinity(2)),
 * so a benchmark can put two sides on one CPU or on two. Other threads are not
 * moved. Throws EINVAL for an empty list, a bad number, or no online CPU.
 */
export function pinThread(cpus: number[]): void {
  native.setAffinity(cpus);
}

/** The CPUs the calling thread may run on (sched_getaffinity(2)), ascending. */
export function threadCpus(): number[] {
  return native.getAffinity();
}

/** The folder segments live in: IPC_SHM_DIR when set (a grader's private folder), else /dev/shm. */
export function segmentFolder(): string {
  return process.env.IPC_SHM_DIR || '/dev/shm';
}
