// Checker cost on histories shaped like a correct bounded buffer's: a real
// sequential execution, each operation's interval then widened at random up to
// its client's neighbouring operations, so operations of different clients
// overlap the way they do under contention. Also used by the checker's tests.
// Not a test: nothing here passes or fails.
import { seededRandom } from '../../native/perturb.ts';
import type { History } from './history.ts';
import { checkOperations } from './linearizability.ts';
import { queueModel, type QueueInput, type QueueOutput } from './models/queue.ts';

export interface RandomQueueHistory {
  seed: number;
  operations: number;
  clients: number;
  capacity: number;
}

/** Linearization points are TICK apart; every interval contains its own. */
const TICK = 1000;

export function randomQueueHistory({
  seed,
  operations,
  clients,
  capacity,
}: RandomQueueHistory): History<QueueInput, QueueOutput> {
  const random = seededRandom(seed);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const queue: number[] = [];
  let nextValue = 1;
  const history: History<QueueInput, QueueOutput> = [];
  for (let k = 0; k < operations; k++) {
    const at = (k + 1) * TICK;
    const client = `c${between(0, clients - 1)}`;
    const roll = random();
    const op = (input: QueueInput, output: QueueOutput) =>
      history.push({ clientId: client, input, call: at, output, return: at });
    if (queue.length === 0 && roll < 0.2) op({ op: 'tryTake' }, null);
    else if (queue.length === capacity && roll < 0.2)
      op({ op: 'tryPut', value: nextValue++ }, false);
    else if (queue.length < capacity && (queue.length === 0 || roll < 0.5)) {
      queue.push(nextValue);
      op({ op: 'put', value: nextValue++ }, undefined);
    } else op({ op: 'take' }, queue.shift()!);
  }
  // Widen each interval within the gap its own client leaves: a client is
  // sequential, so its next call must come after this return.
  const lastReturn = new Map<string, number>();
  const nextCall = new Map<string, number>();
  for (let i = history.length - 1; i >= 0; i--) {
    const op = history[i];
    const limit = nextCall.get(op.clientId) ?? op.call + clients * TICK;
    nextCall.set(op.clientId, op.call);
    op.return = between(op.return, limit - 1);
  }
  for (const op of history) {
    op.call = between((lastReturn.get(op.clientId) ?? op.call - clients * TICK) + 1, op.call);
    lastReturn.set(op.clientId, op.return);
  }
  return history;
}

export async function benchLinearizability(): Promise<void> {
  const model = queueModel({ capacity: 4 });
  console.log('6 clients, bounded queue of capacity 4, correct histories (median of 5 seeds):');
  for (const operations of [100, 300, 1000]) {
    const times: number[] = [];
    let states = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const history = randomQueueHistory({ seed, operations, clients: 6, capacity: 4 });
      const result = checkOperations(model, history, { timeoutMs: 30_000 });
      if (result.verdict !== 'ok')
        throw new Error(
          `benchLinearizability: seed ${seed}, ${operations} operations: ${result.verdict} (${result.reason ?? ''})`,
        );
      times.push(result.elapsedMs);
      states += result.states;
    }
    const median = times.sort((a, b) => a - b)[2];
    console.log(
      `  ${String(operations).padStart(5)} ops  ${median.toFixed(1).padStart(8)} ms  ${Math.round(
        operations / (median / 1000),
      )
        .toLocaleString('en')
        .padStart(10)} ops/s  ${Math.round(states / 5)} states`,
    );
  }
  // An illegal history: the verdict, then the binary search for the smallest failing prefix.
  const history = randomQueueHistory({ seed: 1, operations: 1000, clients: 6, capacity: 4 });
  const takes = history.filter((op) => op.input.op === 'take');
  takes[takes.length - 1].output = takes[0].output; // a duplicated value
  const result = checkOperations(model, history, { timeoutMs: 30_000 });
  const window = result.window!;
  console.log(
    `  1000 ops with one value taken twice: ${result.verdict} in ${(result.elapsedMs - window.elapsedMs).toFixed(1)} ms, then ${window.elapsedMs.toFixed(1)} ms for a window of ${window.operations.length} operations`,
  );
}
