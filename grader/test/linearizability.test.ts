// The linearizability checker against fixture histories with known verdicts
// (porcupine's habit) and against brute force on small random histories; a
// large correct history; a search that must run out of budget; the failure
// picture; and the clock a history is recorded with.
import { describe, expect, it } from 'vitest';
import { runActors, describeFailures } from '../harness/actors.ts';
import {
  HistoryRecorder,
  joinHistories,
  type History,
  type Operation,
} from '../harness/history.ts';
import { checkOperations, type Verdict } from '../harness/linearizability.ts';
import { randomQueueHistory } from '../harness/linearizability-bench.ts';
import type { Model } from '../harness/models/model.ts';
import {
  queueModel,
  type QueueInput,
  type QueueOutput,
  type QueueValue,
} from '../harness/models/queue.ts';
import {
  registerModel,
  type RegisterInput,
  type RegisterOutput,
} from '../harness/models/register.ts';
import { scratchSegment } from '../harness/segments.ts';
import { explainVerdict, renderTimeline } from '../harness/timeline.ts';
import { seededRandom } from '../../native/perturb.ts';

type QueueOp = Operation<QueueInput, QueueOutput>;
const op = <I, O>(
  clientId: string,
  call: number,
  ret: number,
  input: I,
  output: O,
): Operation<I, O> => ({ clientId, input, call, output, return: ret });
const put = (c: string, call: number, ret: number, value: QueueValue): QueueOp =>
  op(c, call, ret, { op: 'put', value }, undefined);
const tryPut = (c: string, call: number, ret: number, value: QueueValue, ok: boolean): QueueOp =>
  op(c, call, ret, { op: 'tryPut', value }, ok);
const take = (c: string, call: number, ret: number, value: QueueValue): QueueOp =>
  op(c, call, ret, { op: 'take' }, value);
const tryTake = (c: string, call: number, ret: number, value: QueueValue | null): QueueOp =>
  op(c, call, ret, { op: 'tryTake' }, value);
const write = (c: string, call: number, ret: number, value: number, key?: string) =>
  op<RegisterInput, RegisterOutput>(c, call, ret, { op: 'write', key, value }, undefined);
const read = (c: string, call: number, ret: number, value: number, key?: string) =>
  op<RegisterInput, RegisterOutput>(c, call, ret, { op: 'read', key }, value);

interface Fixture {
  name: string;
  model: Model<any, any, any>;
  history: History<any, any>;
  verdict: Verdict;
}

const fifo = queueModel();
const fixtures: Fixture[] = [
  {
    name: 'sequential puts and takes in order',
    model: fifo,
    verdict: 'ok',
    history: [
      put('a', 0, 1, 1),
      put('a', 2, 3, 2),
      take('b', 4, 5, 1),
      take('b', 6, 7, 2),
      tryTake('b', 8, 9, null),
    ],
  },
  // put 2 returns before take -> 2 starts, put 1 spans both: put 1 must come after put 2 although it was called first.
  {
    name: 'concurrent, explained only by linearizing a later call first',
    model: fifo,
    verdict: 'ok',
    history: [put('a', 0, 10, 1), put('b', 1, 3, 2), take('c', 4, 6, 2), take('c', 7, 12, 1)],
  },
  {
    name: 'an empty tryTake overlapping the put it missed',
    model: fifo,
    verdict: 'ok',
    history: [put('a', 0, 10, 5), tryTake('b', 2, 4, null), take('b', 5, 8, 5)],
  },
  {
    name: 'lost value: put 1, put 2, then take -> 2 and empty',
    model: fifo,
    verdict: 'illegal',
    history: [put('a', 0, 1, 1), put('a', 2, 3, 2), take('b', 4, 5, 2), tryTake('b', 6, 7, null)],
  },
  {
    name: 'duplicated value: two takes of 1, counts add up',
    model: fifo,
    verdict: 'illegal',
    history: [put('a', 0, 1, 1), put('a', 2, 3, 2), take('b', 4, 5, 1), take('c', 6, 7, 1)],
  },
  {
    name: 'reordered: puts 1 then 2, takes 2 then 1, none overlapping',
    model: fifo,
    verdict: 'illegal',
    history: [put('a', 0, 1, 1), put('a', 2, 3, 2), take('b', 4, 5, 2), take('b', 6, 7, 1)],
  },
  {
    name: 'overlapping puts may take effect in either order',
    model: fifo,
    verdict: 'ok',
    history: [put('a', 0, 5, 1), put('b', 1, 6, 2), take('c', 7, 8, 2), take('c', 9, 10, 1)],
  },
  {
    name: 'intervals that touch overlap (closed intervals)',
    model: fifo,
    verdict: 'ok',
    history: [put('a', 0, 5, 1), put('b', 5, 6, 2), take('c', 7, 8, 2), take('c', 9, 10, 1)],
  },
  {
    name: 'intervals one nanosecond apart do not',
    model: fifo,
    verdict: 'illegal',
    history: [put('a', 0, 5, 1), put('b', 6, 7, 2), take('c', 8, 9, 2), take('c', 10, 11, 1)],
  },
  {
    name: 'a value never put',
    model: fifo,
    verdict: 'illegal',
    history: [put('a', 0, 1, 1), take('b', 2, 3, 7)],
  },
  {
    name: 'capacity 1: a put completing into a full buffer',
    model: queueModel({ capacity: 1 }),
    verdict: 'illegal',
    history: [put('a', 0, 1, 1), put('b', 2, 3, 2), take('c', 4, 5, 1)],
  },
  {
    name: 'capacity 1: a blocked put completing after the take that made room',
    model: queueModel({ capacity: 1 }),
    verdict: 'ok',
    history: [put('a', 0, 1, 1), put('b', 2, 9, 2), take('c', 4, 5, 1), take('c', 10, 11, 2)],
  },
  {
    name: 'capacity 1: tryPut -> false only when full',
    model: queueModel({ capacity: 1 }),
    verdict: 'illegal',
    history: [put('a', 0, 1, 1), take('a', 2, 3, 1), tryPut('b', 4, 5, 2, false)],
  },
  {
    name: 'capacity 1: tryPut -> false when full',
    model: queueModel({ capacity: 1 }),
    verdict: 'ok',
    history: [put('a', 0, 1, 1), tryPut('b', 2, 3, 2, false), take('a', 4, 5, 1)],
  },
  // From porcupine's register tests (MIT 6.824): read 100 ends before read 0 starts, both after write 100 started.
  {
    name: 'register: a read that goes back in time',
    model: registerModel(),
    verdict: 'illegal',
    history: [write('a', 0, 100, 100), read('b', 25, 75, 100), read('c', 80, 95, 0)],
  },
  {
    name: 'register: reads on either side of a slow write',
    model: registerModel(),
    verdict: 'ok',
    history: [write('a', 0, 100, 100), read('b', 25, 75, 0), read('c', 80, 95, 100)],
  },
  {
    name: 'registers by key: each key fine',
    model: registerModel(),
    verdict: 'ok',
    history: [
      write('a', 0, 10, 1, 'x'),
      write('b', 0, 10, 2, 'y'),
      read('a', 11, 12, 1, 'x'),
      read('b', 11, 12, 2, 'y'),
    ],
  },
  {
    name: 'registers by key: key y reads a value written to x',
    model: registerModel(),
    verdict: 'illegal',
    history: [
      write('a', 0, 10, 1, 'x'),
      write('b', 0, 10, 2, 'y'),
      read('a', 11, 12, 1, 'x'),
      read('b', 11, 12, 1, 'y'),
    ],
  },
];

describe('checkOperations on fixture histories', () => {
  for (const fixture of fixtures) {
    it(`${fixture.verdict}: ${fixture.name}`, () => {
      const result = checkOperations(fixture.model, fixture.history, { timeoutMs: 5000 });
      expect(result.verdict).toBe(fixture.verdict);
      if (result.verdict === 'illegal')
        expect(result.window?.operations).toContain(result.window?.failing);
    });
  }

  it('checks registers one key at a time', () => {
    expect(checkOperations(registerModel(), fixtures.at(-2)!.history).partitions).toBe(2);
  });

  it('rejects an operation that returns before it is called', () => {
    expect(() => checkOperations(fifo, [put('a', 5, 4, 1)])).toThrow(
      /operation 0 \(a\) has call=5, return=4/,
    );
  });
});

/** Linearizable by definition: some permutation respecting real time that the model accepts. */
function bruteForce<S, I, O>(model: Model<S, I, O>, history: History<I, O>): boolean {
  const extend = (state: S, done: Set<Operation<I, O>>): boolean => {
    if (done.size === history.length) return true;
    return history.some((candidate) => {
      if (done.has(candidate)) return false;
      // candidate may go next only if no remaining operation returned before it was called
      if (
        history.some(
          (other) => !done.has(other) && other !== candidate && other.return < candidate.call,
        )
      )
        return false;
      const [ok, next] = model.step(state, candidate.input, candidate.output);
      return ok && extend(next, new Set([...done, candidate]));
    });
  };
  return extend(model.init(), new Set());
}

/** The history at time `cut`, by definition: some subset of the calls still running completes, the rest never happened. */
function prefixLinearizable<S, I, O>(
  model: Model<S, I, O>,
  history: History<I, O>,
  cut: number,
): boolean {
  const completed = history.filter((op) => op.return <= cut);
  const running = history
    .filter((op) => op.call <= cut && op.return > cut)
    .map((op) => ({ ...op, return: Infinity }));
  for (let subset = 0; subset < 1 << running.length; subset++) {
    if (bruteForce(model, [...completed, ...running.filter((_, i) => subset & (1 << i))]))
      return true;
  }
  return false;
}

describe('checkOperations against brute force', () => {
  it('agrees on 400 small random queue histories, half of them tampered with', () => {
    const random = seededRandom(2024);
    const model = queueModel({ capacity: 2 });
    const verdicts = { ok: 0, illegal: 0 };
    for (let round = 0; round < 400; round++) {
      const history = randomQueueHistory({ seed: round, operations: 6, clients: 3, capacity: 2 });
      if (random() < 0.5) {
        const victim = history[Math.floor(random() * history.length)];
        if (victim.input.op === 'put')
          victim.input = { op: 'put', value: 1 + Math.floor(random() * 3) };
        else victim.output = random() < 0.3 ? null : 1 + Math.floor(random() * 3);
      }
      const expected = bruteForce(model, history) ? 'ok' : 'illegal';
      const result = checkOperations(model, history, { timeoutMs: 5000 });
      expect(result.verdict, `round ${round}: ${explainVerdict(model, result)}`).toBe(expected);
      verdicts[expected]++;
      // The window ends the smallest prefix that brute force finds illegal too.
      if (result.window) {
        const cut = result.window.failing.return;
        expect(prefixLinearizable(model, history, cut), `round ${round}: prefix up to ${cut}`).toBe(
          false,
        );
        const earlier = Math.max(
          -Infinity,
          ...history.map((op) => op.return).filter((t) => t < cut),
        );
        expect(
          prefixLinearizable(model, history, earlier),
          `round ${round}: prefix up to ${earlier}`,
        ).toBe(true);
      }
    }
    expect(verdicts.illegal).toBeGreaterThan(50);
    expect(verdicts.ok).toBeGreaterThan(50);
  });
});

describe('checkOperations at scale', () => {
  it('finds a correct 6-client history of 600 operations on a bounded queue ok', () => {
    const history = randomQueueHistory({ seed: 7, operations: 600, clients: 6, capacity: 4 });
    const result = checkOperations(queueModel({ capacity: 4 }), history, { timeoutMs: 10_000 });
    expect(result.verdict).toBe('ok');
  });

  it('finds one duplicated value among 600 operations, and the window shows it', () => {
    const history = randomQueueHistory({ seed: 7, operations: 600, clients: 6, capacity: 4 });
    const takes = history.filter((o) => o.input.op === 'take');
    const duplicate = takes[takes.length - 1];
    duplicate.output = takes[0].output;
    const result = checkOperations(queueModel({ capacity: 4 }), history, { timeoutMs: 10_000 });
    expect(result.verdict).toBe('illegal');
    expect(result.window!.smallest).toBe(true);
    expect(result.window!.operations).toContain(duplicate);
    expect(result.window!.operations.length).toBeLessThan(20);
  });

  // 12 puts all overlapping can be ordered 12! ways, and the last take, of a
  // value never put, fails only after all 12 puts were linearized: ~1e9 states.
  const pathological = [
    ...Array.from({ length: 12 }, (_, i) => put(`p${i}`, i, 100 + i, i)),
    ...Array.from({ length: 12 }, (_, i) => take('t', 200 + 2 * i, 201 + 2 * i, i)),
    take('t', 300, 301, 99),
  ];

  it('answers unknown, never ok, when the search runs out of time', () => {
    const result = checkOperations(fifo, pathological, { timeoutMs: 50 });
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toBe('timeout');
    expect(result.elapsedMs).toBeLessThan(3000); // 50 ms, plus slack for a loaded machine
  });

  it('answers unknown when the search runs out of states', () => {
    const result = checkOperations(fifo, pathological, { timeoutMs: 10_000, maxStates: 1000 });
    expect(result).toMatchObject({ verdict: 'unknown', reason: 'more than 1000 states' });
  });
});

describe('the failure picture', () => {
  it('draws the lost-value history as a timeline, marking the take that cannot be explained', () => {
    const history = fixtures.find((f) => f.name.startsWith('lost value'))!.history;
    const result = checkOperations(fifo, history);
    expect(result.window!.failing).toBe(history[2]);
    expect(renderTimeline(fifo, result.window!)).toBe(
      [
        'Timeline: one row per client; left to right is the order of events, not their duration.',
        'a |--put 1--| |--put 2--|',
        'b                         |==take -> 2==|',
        '                                        ^ no order of the operations so far explains this result',
        '',
        'client  operation  call (µs)  return (µs)',
        'a       put 1          0.000        0.001',
        'a       put 2          0.002        0.003',
        'b       take -> 2      0.004        0.005  <- fails',
      ].join('\n'),
    );
  });
});

describe('HistoryRecorder', () => {
  it('records input, output and times, passes the result through, and skips calls that throw', async () => {
    const recorder = new HistoryRecorder<string, number>('me');
    expect(recorder.record('sync', () => 1)).toBe(1);
    expect(await recorder.recordAsync('async', async () => 2)).toBe(2);
    expect(() =>
      recorder.record('throws', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    const [first, second] = recorder.operations;
    expect(recorder.operations).toHaveLength(2);
    expect(first).toMatchObject({ clientId: 'me', input: 'sync', output: 1 });
    expect(first.call).toBeLessThanOrEqual(first.return);
    expect(second.call).toBeGreaterThanOrEqual(first.return);
  });

  it('timestamps a worker thread and a child process on one clock', async () => {
    const segment = scratchSegment(64, 'history-clock');
    const turns = 40;
    const args = (clientId: string, first: number) => ({
      segment: segment.name,
      cell: 0,
      first,
      turns,
      clientId,
    });
    const module = new URL('./fixtures/history-clock.ts', import.meta.url);
    const outcomes = await runActors(
      [
        { name: 'worker', kind: 'worker', module, scenario: 'takeTurns', args: args('worker', 0) },
        {
          name: 'process',
          kind: 'process',
          module,
          scenario: 'takeTurns',
          args: args('process', 1),
        },
      ],
      { timeoutMs: 20_000 },
    );
    expect(describeFailures(outcomes)).toBe('');
    const history = joinHistories<string, number>(outcomes.map((o) => o.value)).sort(
      (a, b) => a.output - b.output,
    );
    expect(history.map((o) => o.output)).toEqual(Array.from({ length: turns }, (_, i) => i));
    for (let i = 1; i < turns; i++) {
      expect(
        history[i].call,
        `turn ${i} (${history[i].clientId}) called after turn ${i - 1} returned`,
      ).toBeGreaterThan(history[i - 1].return);
    }
  });
});
