// Entry of every actor (a worker thread or a child process) a suite starts:
// import the scenario module, meet the others at the start barrier, run the
// scenario, report its result or error to the parent.
//
// The start barrier matters: starting a worker or process takes 150-300 ms,
// so without it actors run one after another and never overlap, and a racy
// submission passes.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Segment, threadId } from '@ipc-course/shim';
import type { ActorMessage, ActorTask } from './actor-protocol.ts';

// A process gets its task as the first message on its IPC channel, never on its
// command line: /proc/<pid>/cmdline is readable by every process (a producer's
// stream key, for one, must not be).
const task: ActorTask = isMainThread ? await firstMessage() : workerData;

function firstMessage(): Promise<ActorTask> {
  return new Promise((resolve) =>
    process.once('message', (message) => resolve(message as ActorTask)),
  );
}

function report(message: ActorMessage): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send!(message);
}

function meetAtStart(barrier: NonNullable<ActorTask['barrier']>): void {
  const segment = Segment.open(barrier.segment);
  segment.add(barrier.readyIndex, 1); // partner: the parent's wait for every actor to be ready
  segment.notify(barrier.readyIndex);
  while (segment.load(barrier.goIndex) === 0) segment.wait(barrier.goIndex, 0);
  segment.close();
}

// Before anything imports the submission: no code of it has run in this thread
// yet, so the id is this thread's (the trusted side checks it, actor-thread.ts).
report({ kind: 'thread', tid: threadId() });
try {
  const scenarios = (await import(task.module)) as Record<string, (args: unknown) => unknown>;
  const scenario = scenarios[task.scenario];
  if (typeof scenario !== 'function')
    throw new Error(`no scenario "${task.scenario}" in ${task.module}`);
  if (task.barrier) meetAtStart(task.barrier);
  report({ kind: 'result', value: await scenario(task.args) });
} catch (error) {
  const { message, stack, code } = error as { message?: string; stack?: string; code?: string };
  report({ kind: 'error', message: String(message ?? error), code, stack });
}
if (isMainThread) process.disconnect?.();
