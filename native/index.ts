// The shim: the one typed entry point learners, solutions and suites import,
// by the bare name '@ipc-course/shim'.
//
//   Segment              shared memory by name; atomics, futex wait/notify, bytes
//   ShimError, hasCode   every misuse throws an Error with a stable `code`
//   pipe, mkfifo, ...    the kernel's IPC doors, for lessons and benchmarks
//   startWorker, ...     run TypeScript in worker threads and child processes
//   Scratch, errorCode   leave-nothing-behind helpers for tests and demos
import { isMainThread, threadId as workerThreadId } from 'node:worker_threads';
import { native, type WaitingThread } from './binding.ts';
import { control } from './control.ts';

export type { WaitingThread };

export { Segment, type WaitResult } from './segment.ts';
export { ShimError, hasCode, type ShimErrorCode } from './errors.ts';
export {
  pipe,
  mkfifo,
  openFifo,
  read,
  write,
  close,
  MessageQueue,
  type MessageQueueOptions,
} from './doors.ts';
export { startWorker, startProcess, stopWorker } from './spawn.ts';
export { Scratch, errorCode, errorCodeAsync } from './scratch.ts';
export { ControlledActor } from './control.ts';
export * as controlLayout from './control-layout.ts';
export { perturbSettings, seededRandom, decisionStream, type PerturbDecision } from './perturb.ts';

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
 * Makes this process the one that orphaned descendants are re-parented to
 * (prctl PR_SET_CHILD_SUBREAPER), so a grader can find and end processes a
 * submission started and abandoned, even ones that left the process group.
 */
export function becomeSubreaper(): void {
  native.becomeSubreaper();
}

/**
 * Collects the exit status of an orphan re-parented to this process once it
 * has exited, so it does not stay a zombie. True if it was reaped. Only for
 * processes this process did not spawn (Node reaps those itself).
 */
export function reapAdopted(pid: number): boolean {
  return native.reapAdopted(pid);
}
