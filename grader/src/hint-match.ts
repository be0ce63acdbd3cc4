// Which hint a failed test gets: the first of its suite's hints.json whose test
// matches and whose class, if it names one, is a class this failure has. The
// classes come from what the test reported in structure (a controlled run's
// failure class, whether the run shown had a spurious wakeup or an actor that
// escaped the shim) and from the test's status, never from the message text.
import type { ControlledDetails } from '../harness/failure-class.ts';
import type { TestStatus } from './report.ts';
import type { Hint } from './registry.ts';

export type HintClass =
  | 'deadlock'
  | 'lost-wakeup'
  | 'two-holders'
  | 'lost-or-duplicated-value'
  | 'spurious-wakeup'
  | 'escaped-shim'
  | 'timeout';

export const HINT_CLASSES: readonly HintClass[] = [
  'deadlock',
  'lost-wakeup',
  'two-holders',
  'lost-or-duplicated-value',
  'spurious-wakeup',
  'escaped-shim',
  'timeout',
];

export interface FailureFacts {
  status: TestStatus;
  controlled?: ControlledDetails;
}

/** The classes a failure has; a lost wakeup is a deadlock too. */
export function classesOf(facts: FailureFacts): Set<HintClass> {
  const classes = new Set<HintClass>();
  const c = facts.controlled;
  if (c?.class) classes.add(c.class);
  if (c?.class === 'lost-wakeup') classes.add('deadlock');
  if (c?.spurious) classes.add('spurious-wakeup');
  if (c?.escaped) classes.add('escaped-shim');
  if (facts.status === 'timeout') classes.add('timeout');
  return classes;
}

/** The hint for this failure, as a line to append, or ''. */
export function hintFor(hints: Hint[], name: string, facts: FailureFacts): string {
  const classes = classesOf(facts);
  const found = hints.find(
    (h) =>
      (h.class === undefined ? h.test === name : h.test === '*' || h.test === name) &&
      (h.class === undefined || classes.has(h.class)),
  );
  return found ? `\nHint: ${found.hint}` : '';
}
