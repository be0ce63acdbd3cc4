// The actors of controlled runs, started once and reused by every run of a
// test: worker threads and child processes running controlled-entry.ts, one
// slot of the control board each. An actor that got stuck is replaced.
import type { ChildProcess } from 'node:child_process';
import { sharedWorkerHost } from '../realm/worker-host-client.ts';
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
      // Worker-thread actors live in an untrusted host process, never in this one.
      const worker = sharedWorkerHost().start(entry, task, environment() as Record<string, string>);
      worker.on('error', () => {}); // reported through the board: it stops handing back
      return { stop: () => worker.stop() };
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
