// Messages between a suite and its actors (actor-entry.ts).

/** What an actor runs: `scenario` exported by `module`, called with `args`. */
export interface ActorTask {
  module: string;
  scenario: string;
  args: unknown;
  /** Start barrier cells in a segment: increment ready, then wait until go != 0. */
  barrier?: { segment: string; readyIndex: number; goIndex: number };
}

/**
 * Sent first, before the scenario module (and with it the submission) loads:
 * the actor's kernel thread id (gettid, local to its PID namespace if it has
 * one). The trusted side verifies it (actor-thread.ts) before it reads that
 * thread's CPU time.
 */
export interface ActorThreadReport {
  kind: 'thread';
  tid: number;
}

/** The last message of an actor: its scenario's result or error. */
export type ActorReport =
  | { kind: 'result'; value: unknown }
  | { kind: 'error'; message: string; code?: string; stack?: string };

export type ActorMessage = ActorThreadReport | ActorReport;
