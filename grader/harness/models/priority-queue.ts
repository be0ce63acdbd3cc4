// Sequential specification of a POSIX message queue (mq_overview(7)), optionally
// bounded: a priority queue in which receive returns the OLDEST message of the
// HIGHEST priority. What the priority mailbox promises, one operation at a time.
//
// State: the messages in the queue, in the order they were sent (oldest first),
// each with its priority; a fresh array per step (the search keeps old states).
// Operations:
//   send v p       blocking; takes effect only when there is room
//   trySend v p    -> true (as send) | false (only when full)
//   receive        blocking; -> v, the oldest message of the highest priority, removed
//   tryReceive     -> as receive | null/undefined (only when empty)
// Values must be primitives that survive postMessage and JSON, and are compared
// with ===; a value names its message (the recorder's output carries no priority,
// since the value sent with a priority identifies it).
//
// No partition function, for the reasons given in queue.ts: the order relates
// different values, and an empty or full answer relates to all of them.
import type { Model } from './model.ts';

export type PriorityQueueValue = number | string;
export type PriorityQueueInput =
  | { op: 'send'; value: PriorityQueueValue; priority: number }
  | { op: 'trySend'; value: PriorityQueueValue; priority: number }
  | { op: 'receive' }
  | { op: 'tryReceive' };
/** send: ignored; trySend: boolean; receive: the value; tryReceive: the value or null/undefined for empty. */
export type PriorityQueueOutput = PriorityQueueValue | boolean | null | undefined;
export type PriorityQueueState = readonly (readonly [
  value: PriorityQueueValue,
  priority: number,
])[];

/** Index of the message a receive must return: the first (oldest) of the highest priority; -1 if empty. */
export function nextToReceive(state: PriorityQueueState): number {
  let best = -1;
  state.forEach(([, priority], i) => {
    if (best === -1 || priority > state[best][1]) best = i; // strictly greater: the older one stays
  });
  return best;
}

/** A priority queue with mq_receive's order; with `capacity`, a send into a full queue cannot take effect. */
export function priorityQueueModel(
  options: { capacity?: number } = {},
): Model<PriorityQueueState, PriorityQueueInput, PriorityQueueOutput> {
  const capacity = options.capacity ?? Infinity;
  const noChange = (ok: boolean, state: PriorityQueueState): [boolean, PriorityQueueState] => [
    ok,
    state,
  ];
  return {
    init: () => [],
    step(state, input, output) {
      switch (input.op) {
        case 'send':
          return state.length < capacity
            ? [true, [...state, [input.value, input.priority]]]
            : noChange(false, state);
        case 'trySend':
          if (output === false) return noChange(state.length >= capacity, state);
          return output === true && state.length < capacity
            ? [true, [...state, [input.value, input.priority]]]
            : noChange(false, state);
        // biome-ignore lint/suspicious/noFallthroughSwitchClause: a tryReceive that got a value continues as the blocking call
        case 'tryReceive':
          if (output === null || output === undefined) return noChange(state.length === 0, state);
        // falls through: a tryReceive that got a message is a receive
        case 'receive': {
          const next = nextToReceive(state);
          return next >= 0 && state[next][0] === output
            ? [true, state.filter((_, i) => i !== next)]
            : noChange(false, state);
        }
        default:
          return noChange(false, state);
      }
    },
    key: (state) => JSON.stringify(state),
    describeOperation(input, output) {
      switch (input.op) {
        case 'send':
          return `send ${input.value} (priority ${input.priority})`;
        case 'trySend':
          return `trySend ${input.value} (priority ${input.priority}) -> ${output}`;
        default:
          return `${input.op} -> ${output === null || output === undefined ? 'empty' : String(output)}`;
      }
    },
    describeState: (state) =>
      `[${state.map(([value, priority]) => `${value}@${priority}`).join(', ')}]`,
  };
}
