// A sequential specification, as the linearizability checker reads it
// (porcupine's Model). Models are pure data and functions and know nothing of
// the search; the checker knows nothing of queues or registers.
import type { History } from '../history.ts';

export interface Model<S, I, O> {
  /** The object's state before any operation. */
  init(): S;
  /**
   * Could the object, in `state`, answer `input` with `output`? If so, also
   * the state after it. Pure: never mutates `state` (the search keeps old
   * states to backtrack to).
   */
  step(state: S, input: I, output: O): [ok: boolean, next: S];
  /**
   * A string that is equal for two states exactly when the states are equal;
   * the search memoises (linearized set, state key) pairs it has explored.
   * Default: JSON.stringify(state).
   */
  key?(state: S): string;
  /**
   * Optional speed-up: split a history into parts checked one by one. Sound
   * only if the whole history is linearizable exactly when every part is (for
   * independent objects that is Herlihy and Wing's locality theorem).
   */
  partition?(history: History<I, O>): History<I, O>[];
  /** For timelines and messages: "put 3", "take -> 3". */
  describeOperation?(input: I, output: O): string;
  describeState?(state: S): string;
}
