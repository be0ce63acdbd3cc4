// The classes of failure a hint may be given for, decided where the failure is
// found (the scheduler, a suite's check), never read back out of message text.

export type FailureClass = 'deadlock' | 'lost-wakeup' | 'two-holders' | 'lost-or-duplicated-value';

export const FAILURE_CLASSES: readonly FailureClass[] = [
  'deadlock',
  'lost-wakeup',
  'two-holders',
  'lost-or-duplicated-value',
];

/** What a suite's check found wrong, with its class when it has one. */
export interface Problem {
  class: FailureClass;
  message: string;
}

/** What a controlled test that failed hands on to the report, beside its message. */
export interface ControlledDetails {
  class: FailureClass | null;
  /** The interleaving table, whole. */
  trace: string;
  rows: number;
  /** "steps 5 and 6 (…)", or null when no single swap of adjacent steps made the run pass. */
  racingPair: string | null;
  /** Time spent shrinking and looking for the racing pair. */
  shrinkMs: number;
  /** The run shown has a spurious wakeup in it. */
  spurious: boolean;
  /** An actor ran too long without a shim call (the run could not be replayed). */
  escaped: boolean;
  /** The command that replays this run: seed, strategy and run number (`<submission>` stands for the folder). */
  replay: string;
}

/** The error a failed controlled test throws: its message, and the details as a property vitest passes on. */
export class ControlledRunError extends Error {
  readonly controlled: ControlledDetails;
  constructor(message: string, controlled: ControlledDetails) {
    super(message);
    this.name = 'ControlledRunError';
    this.controlled = controlled;
  }
}
