// Messages between a suite and its actors (actor-entry.ts).

/** What an actor runs: `scenario` exported by `module`, called with `args`. */
export interface ActorTask {
  module: string;
  scenario: string;
  args: unknown;
  /** Start barrier cells in a segment: increment ready, then wait until go != 0. */
  barrier?: { segment: string; readyIndex: number; goIndex: number };
}

export type ActorReport =
  | { kind: 'result'; value: unknown }
  | { kind: 'error'; message: string; code?: string; stack?: string };
