// The trusted side's handle on a worker host (realm/worker-host.ts): an
// untrusted process holding the worker-thread actors of one run or pool. What
// comes back from it is untrusted data; closing it ends every worker at once.
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { WaitingThread } from '@ipc-course/shim';
import { spawnUntrusted, toUntrusted } from '../untrusted.ts';
import type { HostCommand, HostEvent } from './worker-host.ts';

const entry = new URL('./worker-host.ts', import.meta.url);
const WAITS_TIMEOUT_MS = 1000;

/** A worker thread in the host: emits 'message', 'error' and 'exit' like a Worker. */
export class RemoteWorker extends EventEmitter {
  /** The worker's thread id inside the host, once it is online (for hang reports). */
  threadId: number | undefined;
  exited = false;
  readonly #stop: () => void;

  constructor(stop: () => void) {
    super();
    this.#stop = stop;
  }

  /** Aborts its futex waits and terminates it; resolves when it has exited. */
  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.once('exit', () => resolve()));
    this.#stop();
    return exited;
  }
}

export class WorkerHost {
  readonly #child: ChildProcess;
  readonly #workers = new Map<number, RemoteWorker>();
  readonly #waitRequests = new Map<number, (waits: WaitingThread[]) => void>();
  #next = 1;
  #gone = false;

  get gone(): boolean {
    return this.#gone;
  }

  /** The pid the grader started for the host (the trusted side looks its threads up under it). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  constructor() {
    this.#child = spawnUntrusted(entry, [], {
      actor: 'worker-host',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      // Structured clone, as between a Worker and its parent: Infinity and NaN
      // arguments reach the actors as themselves (JSON would turn them to null).
      serialization: 'advanced',
    });
    this.#child.on('message', (event: HostEvent) => this.#receive(event));
    this.#child.on('exit', (code, signal) => {
      this.#gone = true;
      for (const worker of this.#workers.values()) this.#exit(worker, code ?? (signal ? 1 : 0));
      for (const answer of this.#waitRequests.values()) answer([]);
    });
  }

  #receive(event: HostEvent): void {
    if (!event || typeof event !== 'object') return;
    if ('request' in event) {
      this.#waitRequests.get(event.request)?.(Array.isArray(event.waits) ? event.waits : []);
      this.#waitRequests.delete(event.request);
      return;
    }
    const worker = this.#workers.get(event.id);
    if (!worker) return;
    if (event.event === 'online') worker.threadId = Number(event.threadId);
    else if (event.event === 'message') worker.emit('message', event.data);
    else if (event.event === 'error') worker.emit('error', new Error(String(event.message)));
    else if (event.event === 'exit') this.#exit(worker, Number(event.code));
  }

  #exit(worker: RemoteWorker, code: number): void {
    if (worker.exited) return;
    worker.exited = true;
    for (const [id, known] of this.#workers) if (known === worker) this.#workers.delete(id);
    worker.emit('exit', code);
  }

  #command(command: HostCommand): void {
    if (!this.#gone && this.#child.connected) this.#child.send(command);
  }

  /** Starts `module` (a file URL) in a worker thread of the host, with `data` as its workerData. */
  start(module: URL, data: unknown, env: Record<string, string>): RemoteWorker {
    const id = this.#next++;
    const worker = new RemoteWorker(() => this.#command({ op: 'stop', id }));
    this.#workers.set(id, worker);
    if (this.#gone) queueMicrotask(() => this.#exit(worker, 1));
    else this.#command({ op: 'start', id, entry: toUntrusted(module).href, data, env });
    return worker;
  }

  /** What each worker of the host is asleep on now (empty if the host does not answer). */
  waits(): Promise<WaitingThread[]> {
    if (this.#gone) return Promise.resolve([]);
    const request = this.#next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve([]), WAITS_TIMEOUT_MS);
      this.#waitRequests.set(request, (waits) => {
        clearTimeout(timer);
        resolve(waits);
      });
      this.#command({ op: 'waits', request });
    });
  }
}

let shared: WorkerHost | null = null;

/**
 * The worker host of this process (one per test file): started on first use,
 * started again if it died. It ends when this process does (it exits when its
 * IPC channel closes), so runs and pools share it instead of paying a start each.
 */
export function sharedWorkerHost(): WorkerHost {
  if (!shared || shared.gone) shared = new WorkerHost();
  return shared;
}
