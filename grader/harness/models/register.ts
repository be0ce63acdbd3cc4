// Sequential specification of read/write registers, one per key (a key-value
// store without deletes); one register when no key is given. The easy model
// the checker's self-tests use beside the queue.
//
// State: key -> value, keys sorted (so equal states have equal keys strings);
// an unwritten register reads `initial`.
// Operations: write v (output ignored); read -> v.
//
// Partition by key is sound: registers under different keys are independent
// objects, and a history of independent objects is linearizable exactly when
// each object's sub-history is (Herlihy and Wing's locality theorem, 1990).
import type { History } from '../history.ts';
import type { Model } from './model.ts';

export type RegisterValue = number | string;
export type RegisterInput =
  | { op: 'write'; key?: string; value: RegisterValue }
  | { op: 'read'; key?: string };
export type RegisterOutput = RegisterValue | undefined;
export type RegisterState = Readonly<Record<string, RegisterValue>>;

export function registerModel(
  initial: RegisterValue = 0,
): Model<RegisterState, RegisterInput, RegisterOutput> {
  return {
    init: () => ({}),
    step(state, input, output) {
      const key = input.key ?? '';
      if (input.op === 'write') {
        const next = { ...state, [key]: input.value };
        return [
          true,
          Object.fromEntries(Object.entries(next).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        ];
      }
      return [(key in state ? state[key] : initial) === output, state];
    },
    key: (state) => JSON.stringify(state),
    partition(history: History<RegisterInput, RegisterOutput>) {
      const byKey = new Map<string, History<RegisterInput, RegisterOutput>>();
      for (const op of history) {
        const key = op.input.key ?? '';
        const part = byKey.get(key);
        if (part) part.push(op);
        else byKey.set(key, [op]);
      }
      return [...byKey.values()];
    },
    describeOperation(input, output) {
      const where = input.key === undefined ? '' : `[${input.key}]`;
      return input.op === 'write' ? `write${where} ${input.value}` : `read${where} -> ${output}`;
    },
    describeState: (state) => JSON.stringify(state),
  };
}
