// The trusted side's handle on one object host process (realm/object-host.ts):
// starts it, sends it requests over the channel, turns its answers (untrusted
// data) into values or thrown errors, and ends it. If a call never returns,
// the host is killed and the next request starts a fresh one.
import type { ChildProcess } from 'node:child_process';
import { Segment } from '@ipc-course/shim';
import { readStat } from '../proc-stat.ts';
import { uniqueSegmentName } from '../segment-names.ts';
import { spawnUntrusted } from '../untrusted.ts';
import { CHANNEL_BYTES, CallTimedOut, ChannelClient, ChannelClosed } from './channel.ts';
import { decode, type DecodeHooks, type RemoteHandle, remoteError, type Wire } from './wire.ts';

const entry = new URL('./object-host.ts', import.meta.url);

/**
 * Whether the process has ended, read from /proc: while this thread blocks in a
 * synchronous call, Node's own exit event cannot arrive.
 */
function exitedNow(child: ChildProcess): string | null {
  if (child.pid === undefined) return "the submission's process could not start";
  const state = readStat(child.pid)?.state;
  return state === undefined || state === 'Z' || state === 'X'
    ? "the submission's process exited"
    : null;
}
const OUTPUT_CAP = 4096;

type Answer = { ok?: Wire; promise?: number; throw?: { message?: unknown; code?: unknown } };

/** A host's process, its channel, and the promises it still owes. */
interface Running {
  child: ChildProcess;
  channel: ChannelClient;
  segment: Segment;
  /** Why the process is gone, once it is. */
  gone: string | null;
  promises: Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>;
  output: string;
}

export class ObjectHost {
  /** Counts hosts started: a handle from an earlier generation is stale. */
  generation = 0;
  #running: Running | null = null;
  readonly #decodeHooks: (generation: number) => DecodeHooks;

  constructor(decodeHooks: (generation: number) => DecodeHooks) {
    this.#decodeHooks = decodeHooks;
  }

  #start(): Running {
    const segment = Segment.create(uniqueSegmentName('object-host'), CHANNEL_BYTES);
    const child = spawnUntrusted(entry, [segment.name], {
      actor: 'object-host',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const running: Running = {
      child,
      segment,
      gone: null,
      promises: new Map(),
      output: '',
      channel: new ChannelClient(segment, () => running.gone ?? exitedNow(child)),
    };
    const keep = (chunk: Buffer) =>
      (running.output = (running.output + chunk.toString()).slice(-OUTPUT_CAP));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (message: Answer) => this.#settle(running, message));
    child.on('exit', (code, signal) => {
      running.gone ??= `the submission's process exited (${signal ?? `code ${code}`})${
        running.output ? `; its last output: ${running.output.trim().slice(-300)}` : ''
      }`;
      for (const pending of running.promises.values())
        pending.reject(remoteError(running.gone, 'EHOST'));
      running.promises.clear();
    });
    this.generation += 1;
    return running;
  }

  /** Starts a host if none is running, and returns its generation. */
  ensureRunning(): number {
    this.#current();
    return this.generation;
  }

  #current(): Running {
    const running = this.#running;
    if (running && !running.gone) running.gone = exitedNow(running.child);
    if (!this.#running || this.#running.gone) {
      if (this.#running) this.#dispose(this.#running);
      this.#running = this.#start();
    }
    return this.#running;
  }

  #settle(running: Running, message: Answer): void {
    const id = typeof message?.promise === 'number' ? message.promise : -1;
    const pending = running.promises.get(id);
    if (!pending) return;
    running.promises.delete(id);
    try {
      pending.resolve(this.#result(message, this.generation));
    } catch (error) {
      pending.reject(error);
    }
  }

  /** The value an answer carries, or the error it reports, thrown. */
  #result(answer: Answer, generation: number): unknown {
    if (answer && typeof answer === 'object' && 'throw' in answer) {
      throw remoteError(answer.throw?.message, answer.throw?.code);
    }
    if (!answer || typeof answer !== 'object' || !('ok' in answer)) {
      throw new Error('the object host sent an answer of no known shape');
    }
    return decode(answer.ok, this.#decodeHooks(generation));
  }

  /** Sends a request and waits for its answer, blocking this thread (for plain calls). */
  request(request: object, timeoutMs: number, what: string): unknown {
    const running = this.#current();
    let answer: Answer;
    try {
      answer = running.channel.callSync(request, timeoutMs, what) as Answer;
    } catch (error) {
      if (error instanceof CallTimedOut) this.#kill(running, `${what} never returned`);
      // Seen from /proc before Node's exit event: the next request starts a new host.
      if (error instanceof ChannelClosed) running.gone ??= error.message;
      throw error;
    }
    if (typeof answer?.promise === 'number') return this.#promise(running, answer.promise);
    return this.#result(answer, this.generation);
  }

  #promise(running: Running, id: number): Promise<unknown> {
    return new Promise((resolve, reject) => running.promises.set(id, { resolve, reject }));
  }

  /** Round trip of a ping, answered on the host's event loop (ms), or Infinity past `timeoutMs`. */
  async ping(timeoutMs: number): Promise<number> {
    const running = this.#current();
    const start = performance.now();
    try {
      await running.channel.callAsync({ op: 'ping' }, timeoutMs, 'ping');
      return performance.now() - start;
    } catch (error) {
      if (error instanceof CallTimedOut) return Infinity;
      throw error;
    }
  }

  /** The host's own pid, as it reports it (for checks made from outside), starting it if needed. */
  pid(): number {
    return Number(this.request({ op: 'pid' }, 20_000, 'pid'));
  }

  #kill(running: Running, why: string): void {
    running.gone ??= why;
    running.child.kill('SIGKILL');
  }

  #dispose(running: Running): void {
    this.#kill(running, 'closed');
    running.segment.close();
    try {
      Segment.unlink(running.segment.name);
    } catch {
      // already gone
    }
  }

  close(): void {
    if (this.#running) this.#dispose(this.#running);
    this.#running = null;
  }
}

export type { RemoteHandle };
