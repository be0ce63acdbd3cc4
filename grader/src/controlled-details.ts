// The details a failed controlled test passes on beside its message (the
// ControlledRunError's own property, which vitest serializes with the error),
// read back with every field checked: anything malformed is dropped.
import { FAILURE_CLASSES, type ControlledDetails } from '../harness/failure-class.ts';

export function controlledDetailsOf(error: unknown): ControlledDetails | undefined {
  const details = (error as { controlled?: Partial<ControlledDetails> } | null)?.controlled;
  if (!details || typeof details !== 'object') return undefined;
  const { trace, rows, racingPair, shrinkMs, spurious } = details;
  const failureClass = details.class;
  if (typeof trace !== 'string' || typeof rows !== 'number') return undefined;
  return {
    class: FAILURE_CLASSES.includes(failureClass as never) ? failureClass! : null,
    trace,
    rows,
    racingPair: typeof racingPair === 'string' ? racingPair : null,
    shrinkMs: typeof shrinkMs === 'number' ? shrinkMs : 0,
    spurious: spurious === true,
    escaped: details.escaped === true,
    replay: typeof details.replay === 'string' ? details.replay : '',
  };
}
