// The priority-queue model (grader/harness/models/priority-queue.ts) with the
// generic checker, on fixture histories with known verdicts, and against the
// kernel's own POSIX message queue on a sequential run.
import { describe, expect, it } from 'vitest';
import { MessageQueue, getpid } from '@ipc-course/shim';
import type { History, Operation } from '../harness/history.ts';
import { checkOperations, type Verdict } from '../harness/linearizability.ts';
import {
  nextToReceive,
  priorityQueueModel,
  type PriorityQueueInput,
  type PriorityQueueOutput,
  type PriorityQueueState,
} from '../harness/models/priority-queue.ts';
import { explainVerdict } from '../harness/timeline.ts';
import { seededRandom } from '../../native/perturb.ts';

type Op = Operation<PriorityQueueInput, PriorityQueueOutput>;
const op = (
  clientId: string,
  call: number,
  ret: number,
  input: PriorityQueueInput,
  output: PriorityQueueOutput,
): Op => ({ clientId, input, call, output, return: ret });
const send = (c: string, call: number, ret: number, value: number, priority: number) =>
  op(c, call, ret, { op: 'send', value, priority }, undefined);
const trySend = (
  c: string,
  call: number,
  ret: number,
  value: number,
  priority: number,
  ok: boolean,
) => op(c, call, ret, { op: 'trySend', value, priority }, ok);
const receive = (c: string, call: number, ret: number, value: number) =>
  op(c, call, ret, { op: 'receive' }, value);
const tryReceive = (c: string, call: number, ret: number, value: number | null) =>
  op(c, call, ret, { op: 'tryReceive' }, value);

const unbounded = priorityQueueModel();
const one = priorityQueueModel({ capacity: 1 });
const fixtures: {
  name: string;
  verdict: Verdict;
  history: History<PriorityQueueInput, PriorityQueueOutput>;
  model?: typeof one;
}[] = [
  {
    name: 'urgent first, FIFO within a priority',
    verdict: 'ok',
    history: [
      send('a', 0, 1, 1, 0),
      send('a', 2, 3, 2, 5),
      send('a', 4, 5, 3, 0),
      send('a', 6, 7, 4, 5),
      receive('b', 8, 9, 2),
      receive('b', 10, 11, 4),
      receive('b', 12, 13, 1),
      receive('b', 14, 15, 3),
      tryReceive('b', 16, 17, null),
    ],
  },
  {
    name: 'lowest priority first',
    verdict: 'illegal',
    history: [
      send('a', 0, 1, 1, 0),
      send('a', 2, 3, 2, 5),
      receive('b', 4, 5, 1),
      receive('b', 6, 7, 2),
    ],
  },
  {
    name: 'newest first within a priority',
    verdict: 'illegal',
    history: [
      send('a', 0, 1, 1, 3),
      send('a', 2, 3, 2, 3),
      receive('b', 4, 5, 2),
      receive('b', 6, 7, 1),
    ],
  },
  {
    name: 'FIFO across priorities (priority ignored)',
    verdict: 'illegal',
    history: [send('a', 0, 1, 1, 1), send('a', 2, 3, 2, 9), receive('b', 4, 5, 1)],
  },
  {
    name: 'a receive overlapping the urgent send may miss it',
    verdict: 'ok',
    history: [
      send('a', 0, 1, 1, 0),
      send('c', 2, 10, 2, 9),
      receive('b', 3, 5, 1),
      receive('b', 11, 12, 2),
    ],
  },
  {
    name: 'overlapping sends of one priority may take effect in either order',
    verdict: 'ok',
    history: [
      send('a', 0, 5, 1, 2),
      send('b', 1, 6, 2, 2),
      receive('c', 7, 8, 2),
      receive('c', 9, 10, 1),
    ],
  },
  {
    name: 'a message never sent',
    verdict: 'illegal',
    history: [send('a', 0, 1, 1, 0), receive('b', 2, 3, 7)],
  },
  {
    name: 'a message received twice',
    verdict: 'illegal',
    history: [
      send('a', 0, 1, 1, 0),
      send('a', 2, 3, 2, 0),
      receive('b', 4, 5, 1),
      receive('c', 6, 7, 1),
    ],
  },
  {
    name: 'capacity 1: a send completing into a full queue',
    verdict: 'illegal',
    model: one,
    history: [send('a', 0, 1, 1, 0), send('b', 2, 3, 2, 9), receive('c', 4, 5, 2)],
  },
  {
    name: 'capacity 1: trySend -> false when full',
    verdict: 'ok',
    model: one,
    history: [send('a', 0, 1, 1, 0), trySend('b', 2, 3, 2, 9, false), receive('a', 4, 5, 1)],
  },
  {
    name: 'capacity 1: trySend -> false when empty',
    verdict: 'illegal',
    model: one,
    history: [send('a', 0, 1, 1, 0), receive('a', 2, 3, 1), trySend('b', 4, 5, 2, 0, false)],
  },
  {
    name: 'tryReceive -> empty while a message waits',
    verdict: 'illegal',
    history: [send('a', 0, 1, 1, 4), tryReceive('b', 2, 3, null)],
  },
];

describe('priorityQueueModel', () => {
  for (const fixture of fixtures) {
    it(`${fixture.verdict}: ${fixture.name}`, () => {
      const model = fixture.model ?? unbounded;
      const result = checkOperations(model, fixture.history, { timeoutMs: 5000 });
      expect(result.verdict, explainVerdict(model, result)).toBe(fixture.verdict);
    });
  }

  it('picks the message a real POSIX message queue receives, on 300 seeded random sends and receives', () => {
    const name = `/ipcc-${getpid()}-model`;
    const queue = MessageQueue.open(name, {
      create: true,
      exclusive: true,
      maxMessages: 10,
      messageSize: 16,
    });
    try {
      const random = seededRandom(19);
      let state: PriorityQueueState = [];
      for (let i = 0; i < 300; i++) {
        if (state.length < 10 && random() < 0.55) {
          const priority = Math.floor(random() * 4);
          expect(queue.send(new Uint8Array(new Uint32Array([i]).buffer), priority, 0)).toBe(true);
          state = [...state, [i, priority]];
        } else {
          const got = queue.receive(0);
          const next = nextToReceive(state);
          expect(
            got === undefined ? -1 : new Uint32Array(got.data.slice().buffer)[0],
            `receive number ${i}`,
          ).toBe(next === -1 ? -1 : state[next][0]);
          state = state.filter((_, j) => j !== next);
        }
      }
    } finally {
      queue.close();
      MessageQueue.unlink(name);
    }
  });
});
