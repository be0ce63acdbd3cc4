// Entry of the worker host: an untrusted process in which the worker-thread
// actors of a test live, so that no thread running submission code shares a
// process (its memory, file descriptors and signals) with the trusted side.
// It starts and stops workers when the trusted side asks (realm/worker-host-client.ts)
// and relays what they report, as plain data over the IPC channel.
import type { Worker } from 'node:worker_threads';
import { startWorker, stopWorker, waitingThreads } from '@ipc-course/shim';

export type HostCommand =
  | { op: 'start'; id: number; entry: string; data: unknown; env: Record<string, string> }
  | { op: 'stop'; id: number }
  | { op: 'waits'; request: number };

export type HostEvent =
  | { id: number; event: 'online'; threadId: number }
  | { id: number; event: 'message'; data: unknown }
  | { id: number; event: 'error'; message: string }
  | { id: number; event: 'exit'; code: number }
  | { request: number; waits: ReturnType<typeof waitingThreads> };

const workers = new Map<number, Worker>();
const send = (event: HostEvent) => process.send?.(event);

function start({ id, entry, data, env }: Extract<HostCommand, { op: 'start' }>): void {
  const worker = startWorker(entry, data, { env, stdout: false, stderr: false });
  workers.set(id, worker);
  worker.on('online', () => send({ id, event: 'online', threadId: worker.threadId }));
  worker.on('message', (message) => send({ id, event: 'message', data: message }));
  worker.on('error', (error) => send({ id, event: 'error', message: String(error?.message) }));
  worker.on('exit', (code) => {
    workers.delete(id);
    send({ id, event: 'exit', code });
  });
}

process.on('message', (command: HostCommand) => {
  if (command.op === 'start') start(command);
  else if (command.op === 'stop') {
    const worker = workers.get(command.id);
    if (worker) void stopWorker(worker);
  } else if (command.op === 'waits') send({ request: command.request, waits: waitingThreads() });
});
// The trusted side is gone (it ended, or was killed): so is this host.
process.on('disconnect', () => process.exit(0));
