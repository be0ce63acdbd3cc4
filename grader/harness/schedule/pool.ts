// The actors of controlled runs, started once and reused by every run of a
// test: worker threads and child processes running controlled-entry.ts, one
// slot of the control board each. An actor that got stuck is replaced.
import type { ChildProcess } from 'node:child_process';
import type { Worker } from 'node:worker_threads';
import { startWorker, stopWorker } from '@ipc-course/shim';
import { spawnUntrusted, toUntrusted, untrustedEnvironment } from '../untrusted.ts';
import type { ControlBoard } from './board.ts';

export interface PooledActorSpec {
  name: string;
  kind: 'worker' | 'process';
  /** The scenarios module (a file URL) its runs call into. */
  module: URL;
}

const entry = new URL('../controlled-entry.ts', import.meta.url);

interface Member {
  stop(): Promise<void>;
}

// The scheduler decides every interleaving; random pauses would only slow it.
const environment = () => untrustedEnvironment({ IPC_SHIM_PERTURB: undefined });

export class ActorPool {
  readonly #board: ControlBoard;
  readonly #specs: PooledActorSpec[];
  readonly #members: Member[] = [];

  constructor(board: ControlBoard, specs: PooledActorSpec[]) {
    this.#board = board;
    this.#specs = specs;
    specs.forEach((_, slot) => (this.#members[slot] = this.#start(slot)));
  }

  #start(slot: number): Member {
    const spec = this.#specs[slot];
    // `after`: a replacement must wait for the next run, not join the one that is ending.
    const task = {
      control: this.#board.name,
      slot,
      // Where the untrusted side finds the scenario module (its runtime tree in a realm).
      module: toUntrusted(spec.module).href,
      after: this.#board.run,
    };
    if (spec.kind === 'worker') {
      const worker: Worker = startWorker(entry, task, {
        env: environment(),
        stdout: true,
        stderr: true,
      });
      worker.on('error', () => {}); // reported through the board: it stops handing back
      return { stop: () => stopWorker(worker) };
    }
    const child: ChildProcess = spawnUntrusted(entry, [JSON.stringify(task)], {
      actor: spec.name,
      env: { IPC_SHIM_PERTURB: undefined },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
    };
  }

  /** Replaces actors that stopped answering (they ran away from the shim, or exited). */
  async replace(slots: number[]): Promise<void> {
    for (const slot of new Set(slots)) {
      await this.#members[slot].stop();
      this.#members[slot] = this.#start(slot);
    }
  }

  async close(): Promise<void> {
    this.#board.shutdown();
    await Promise.all(this.#members.map((m) => m.stop()));
  }
}
