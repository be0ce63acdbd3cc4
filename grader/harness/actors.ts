// Run scenarios in worker threads and child processes at once, started together
// by a barrier, each bounded in time. Whatever an actor does (hangs in a futex,
// spins, exits, throws), the suite gets an outcome for it and nothing is left
// running: a stuck worker is aborted and terminated, a stuck process killed.
// Worker threads run inside an untrusted worker host process (realm/), processes
// start through untrusted.ts: no submission code runs in this process. A
// trusted actor (the grader's own reference code, never a submission's) is a
// plain process with the full environment.
import type { ChildProcess } from 'node:child_process';
import { Segment, startProcess, type WaitingThread } from '@ipc-course/shim';
import type { ActorMessage, ActorReport, ActorTask } from './actor-protocol.ts';
import { locateThread, type ProcThread } from './actor-thread.ts';
import { uniqueSegmentName } from './segment-names.ts';
import { sharedWorkerHost, type WorkerHost } from './realm/worker-host-client.ts';
import { spawnUntrusted, toUntrusted, untrustedEnvironment } from './untrusted.ts';

export interface ActorSpec {
  name: string;
  kind: 'worker' | 'process';
  module: URL;
  scenario: string;
  args: unknown;
  /**
   * Runs only the grader's own code (e.g. the reference solution a submission
   * is measured against): started as a plain process, outside the untrusted
   * realm, which may not read solutions/. Processes only.
   */
  trusted?: boolean;
}

export type ActorStatus = 'done' | 'error' | 'hung' | 'exited';

export interface ActorOutcome {
  name: string;
  kind: 'worker' | 'process';
  status: ActorStatus;
  value?: unknown;
  error?: string;
  code?: string;
  /** The last few KiB a process printed (capped: a submission may print without end). */
  output: string;
}

export interface RunOptions {
  /** Wall time for all actors together, after the start barrier opens. */
  timeoutMs: number;
  /** Seeded schedule perturbation for every actor (see native/perturb.ts). */
  perturb?: { probability: number; seed: number };
}

const entry = new URL('./actor-entry.ts', import.meta.url);
const OUTPUT_CAP = 4096;
const READY = 0;
const GO = 1;

/** The perturbation settings of an actor: set when asked for, removed otherwise. */
function perturbEnv(options: RunOptions): Record<string, string | undefined> {
  return options.perturb
    ? {
        IPC_SHIM_PERTURB: String(options.perturb.probability),
        IPC_SHIM_SEED: String(options.perturb.seed),
      }
    : { IPC_SHIM_PERTURB: undefined };
}

interface Running {
  spec: ActorSpec;
  /** The worker's threadId, to find its waits in a hang report; none for a process. */
  threadId?: number;
  /** The pid the grader started: the worker host, or the actor process (or its prlimit/bwrap). */
  root(): number | undefined;
  /** Its messages: the thread id it reported (untrusted), and its result. */
  inbox: Inbox;
  outcome: Promise<ActorOutcome>;
  stop(): Promise<void>;
}

/** An actor's messages, sorted: its thread report (the first counts) and its result (the first counts). */
class Inbox {
  report: ActorReport | undefined;
  /** The thread id the actor reported, once it has (untrusted: anything). */
  thread: { tid: unknown } | undefined;
  #tidReported: () => void = () => {};
  /** Resolves once the actor has reported its thread, or has ended without. */
  readonly reported = new Promise<void>((resolve) => (this.#tidReported = resolve));

  /** The data is untrusted: anything but a thread report counts as the result, as before. */
  receive(message: unknown): void {
    if ((message as ActorMessage | null)?.kind === 'thread') {
      this.thread ??= { tid: (message as { tid?: unknown }).tid };
      this.#tidReported();
    } else this.report ??= message as ActorReport;
  }

  /** The actor ended: a thread it never reported is unknown. */
  ended(): void {
    this.#tidReported();
  }
}

function settleFrom(spec: ActorSpec, report: ActorReport, output: () => string): ActorOutcome {
  const base = { name: spec.name, kind: spec.kind, output: output() };
  return report.kind === 'result'
    ? { ...base, status: 'done', value: report.value }
    : { ...base, status: 'error', error: report.message, code: report.code };
}

function launchWorker(
  host: WorkerHost,
  spec: ActorSpec,
  task: ActorTask,
  options: RunOptions,
): Running {
  const env = untrustedEnvironment({ ...perturbEnv(options), IPC_SHIM_ACTOR: spec.name });
  const worker = host.start(entry, task, env as Record<string, string>);
  const inbox = new Inbox();
  const outcome = new Promise<ActorOutcome>((resolve) => {
    worker.on('message', (message: unknown) => inbox.receive(message));
    worker.on('error', (error: Error) => {
      inbox.report ??= { kind: 'error', message: error.message };
    });
    worker.on('exit', (code: number) => {
      resolve(
        inbox.report
          ? settleFrom(spec, inbox.report, () => '')
          : {
              name: spec.name,
              kind: spec.kind,
              status: 'exited',
              error: `worker exited with code ${code} before reporting`,
              output: '',
            },
      );
    });
  });
  void outcome.then(() => inbox.ended());
  return {
    spec,
    get threadId() {
      return worker.threadId;
    },
    root: () => host.pid,
    inbox,
    outcome,
    stop: () => worker.stop(),
  };
}

function launchProcess(spec: ActorSpec, task: ActorTask, options: RunOptions): Running {
  const stdio: ['ignore', 'pipe', 'pipe', 'ipc'] = ['ignore', 'pipe', 'pipe', 'ipc'];
  const child: ChildProcess = spec.trusted
    ? startProcess(entry, [], {
        actor: spec.name,
        env: { ...process.env, ...perturbEnv(options) },
        stdio,
      })
    : spawnUntrusted(entry, [], {
        actor: spec.name,
        env: perturbEnv(options),
        stdio,
      });
  // The task goes over the IPC channel, not argv (actor-entry.ts says why).
  child.send(task);
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_CAP));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const inbox = new Inbox();
  const outcome = new Promise<ActorOutcome>((resolve) => {
    child.on('message', (message: unknown) => inbox.receive(message));
    child.on('exit', (code, signal) => {
      resolve(
        inbox.report
          ? settleFrom(spec, inbox.report, () => output)
          : {
              name: spec.name,
              kind: spec.kind,
              status: 'exited',
              error: `process exited (${signal ?? `code ${code}`}) before reporting`,
              output,
            },
      );
    });
  });
  void outcome.then(() => inbox.ended());
  return {
    spec,
    root: () => child.pid,
    inbox,
    outcome,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await outcome;
    },
  };
}

async function waitForReady(
  segment: Segment,
  parties: number,
  running: Running[],
  deadline: number,
): Promise<void> {
  let exited = false;
  for (const r of running) void r.outcome.then(() => (exited = true));
  while (segment.load(READY) < parties && !exited && Date.now() < deadline) {
    await segment.waitAsync(READY, segment.load(READY), 20);
  }
}

export function runActors(specs: ActorSpec[], options: RunOptions): Promise<ActorOutcome[]> {
  return watchActors(specs, options).outcomes;
}

/** A run of actors, and a way to see what its worker threads sleep on while it goes. */
export interface WatchedRun {
  outcomes: Promise<ActorOutcome[]>;
  /**
   * The futex waits of the run's worker-thread actors now (they live in the
   * run's worker host, so this process's waitingThreads() never sees them).
   * Empty for a run without workers, and once the run has ended.
   */
  waits(): Promise<WaitingThread[]>;
  /**
   * The kernel thread the actor `name` runs on, as this process's /proc names
   * it: what the actor reported at its start, verified (actor-thread.ts). A
   * string says why there is none: the actor ended without reporting, or its
   * report names no thread of its own process. Ask while the actor runs.
   */
  thread(name: string): Promise<ProcThread | string>;
}

/** runActors, for a suite that also asks where the run's workers sleep (e.g. "asleep in the lock"). */
export function watchActors(specs: ActorSpec[], options: RunOptions): WatchedRun {
  // Worker-thread actors live in an untrusted host process, never in this one.
  const workerHost = specs.some((spec) => spec.kind === 'worker') ? sharedWorkerHost() : null;
  const running: Running[] = [];
  return {
    outcomes: run(specs, options, workerHost, running),
    waits: () => workerHost?.waits() ?? Promise.resolve([]),
    thread: (name) => threadOf(name, running),
  };
}

async function threadOf(name: string, running: Running[]): Promise<ProcThread | string> {
  const actor = running.find((r) => r.spec.name === name);
  if (!actor) return `no actor named ${name} in this run`;
  await actor.inbox.reported;
  const root = actor.root();
  if (!actor.inbox.thread || root === undefined) return 'it ended before it reported its thread';
  const { tid } = actor.inbox.thread;
  const twin = running.find((r) => r !== actor && r.root() === root && r.inbox.thread?.tid === tid);
  if (twin) return `${twin.spec.name} reported the same thread ${tid}`;
  return locateThread(root, tid, actor.spec.kind);
}

async function run(
  specs: ActorSpec[],
  options: RunOptions,
  workerHost: WorkerHost | null,
  running: Running[],
): Promise<ActorOutcome[]> {
  const barrier = Segment.create(uniqueSegmentName('barrier'), 8);
  try {
    for (const spec of specs) {
      if (spec.trusted && spec.kind === 'worker')
        throw new Error(`actor ${spec.name}: a trusted actor must be a process`);
      const task: ActorTask = {
        // Where the untrusted side finds the scenario module (its runtime tree in a realm).
        module: toUntrusted(spec.module).href,
        scenario: spec.scenario,
        args: spec.args,
        barrier: { segment: barrier.name, readyIndex: READY, goIndex: GO },
      };
      running.push(
        workerHost && spec.kind === 'worker'
          ? launchWorker(workerHost, spec, task, options)
          : launchProcess(spec, task, options),
      );
    }
    await waitForReady(barrier, specs.length, running, Date.now() + 30_000);
    barrier.store(GO, 1);
    barrier.notify(GO); // partner: the wait in actor-entry.ts meetAtStart
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutMs)),
    );
    const outcomes = await Promise.race([Promise.all(running.map((r) => r.outcome)), timedOut]);
    clearTimeout(timer);
    if (outcomes !== 'timeout') return outcomes;
    const waits = (await workerHost?.waits()) ?? []; // before stopping anyone: what each stuck worker sleeps on
    const settled = new Map<Running, ActorOutcome>();
    for (const r of running) void r.outcome.then((o) => settled.set(r, o));
    await new Promise((resolve) => setImmediate(resolve));
    const result: ActorOutcome[] = [];
    for (const r of running) {
      const done = settled.get(r);
      if (done) {
        result.push(done);
        continue;
      }
      await r.stop();
      result.push({
        name: r.spec.name,
        kind: r.spec.kind,
        status: 'hung',
        error: `still running after ${options.timeoutMs} ms${describeWaits(waits.filter((w) => w.threadId === r.threadId))}`,
        output: '',
      });
    }
    return result;
  } finally {
    await Promise.all(running.map((r) => r.stop()));
    barrier.close();
    Segment.unlink(barrier.name);
  }
}

function describeWaits(waits: WaitingThread[]): string {
  if (waits.length === 0) return '';
  return `, asleep in ${waits.map((w) => `wait on byte ${w.byteOffset} of segment ${w.segment ?? '?'} (expected ${w.expected}, the cell holds ${w.value}${w.value === w.expected ? '' : ': it changed, but no notify woke this waiter'})`).join(' and ')}`;
}

/** One line per actor that did not finish normally, or '' if all did. */
export function describeFailures(outcomes: ActorOutcome[]): string {
  return outcomes
    .filter((o) => o.status !== 'done')
    .map(
      (o) =>
        `${o.name} (${o.kind}) ${o.status}: ${o.error ?? ''}${o.code ? ` [${o.code}]` : ''}${o.output ? `\n    output: ${o.output.trim().slice(-300)}` : ''}`,
    )
    .join('\n');
}
