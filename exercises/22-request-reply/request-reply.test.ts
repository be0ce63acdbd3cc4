// Visible tests for exercises/22-request-reply: run them with
//   npm test -- exercises/22-request-reply
// They check your request-reply.ts on one thread, then with worker threads.
// The grader's hidden tests go further (processes, timeouts under load, CPU use, controlled schedules).
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, Scratch } from '@ipc-course/shim';
import { CreditChannel, decodeText, encodeText, RpcChannel } from './request-reply.ts';

const scratch = new Scratch('request-reply');
afterEach(() => scratch.release());
const OFFSET = 64; // shared with rpc-worker.ts
const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : decodeText(bytes);

describe('RpcChannel and CreditChannel on one thread', () => {
  it('lays out a channel, refuses bad arguments, and times out a call nobody serves', () => {
    const options = { capacity: 2, maxMessageBytes: 16 };
    const segment = scratch.segment(OFFSET + RpcChannel.byteLength(options));
    const channel = RpcChannel.init(segment, OFFSET, options);
    expect([
      channel.capacity,
      channel.maxMessageBytes,
      new RpcChannel(segment, OFFSET).capacity,
    ]).toEqual([2, 16, 2]);
    expect(errorCode(() => channel.call(new Uint8Array(17)))).toBe('EMSGSIZE');
    expect(errorCode(() => channel.call('hi' as unknown as Uint8Array))).toBe('EINVAL');
    expect(errorCode(() => RpcChannel.byteLength({ capacity: 0, maxMessageBytes: 16 }))).toBe(
      'EINVAL',
    );
    const start = performance.now();
    expect(channel.call(encodeText('anyone?'), 100)).toBeUndefined();
    expect(performance.now() - start).toBeGreaterThanOrEqual(90);
  });

  it('delivers produced messages in order, within the credits', () => {
    const options = { credits: 3, maxMessageBytes: 8 };
    const segment = scratch.segment(CreditChannel.byteLength(options));
    const channel = CreditChannel.init(segment, 0, options);
    expect(channel.credits).toBe(3);
    expect(errorCode(() => channel.produce(new Uint8Array(9)))).toBe('EMSGSIZE');
    for (let round = 0; round < 10; round++) {
      for (let k = 0; k < 3; k++) channel.produce(encodeText(`${round}.${k}`));
      expect([0, 1, 2].map(() => text(channel.consume()))).toEqual(
        [0, 1, 2].map((k) => `${round}.${k}`),
      );
    }
  });
});

describe('RpcChannel across worker threads', () => {
  it('gives each of 3 clients the replies to its own requests', async () => {
    const options = { capacity: 2, maxMessageBytes: 32 };
    const segment = scratch.segment(OFFSET + RpcChannel.byteLength(options));
    RpcChannel.init(segment, OFFSET, options);
    const count = 100;
    const worker = (data: object) =>
      scratch.worker(new URL('./rpc-worker.ts', import.meta.url), {
        name: segment.name,
        count,
        ...data,
      });
    const clients = ['a', 'b', 'c'].map((client) => worker({ role: 'client', client }));
    const server = worker({ role: 'server', client: '', count: 3 * count });
    // once() rejects if a worker throws, so a crash fails the test at once.
    const results = await Promise.all([...clients, server].map((w) => once(w, 'message')));
    const replies = results.slice(0, 3).map(([r]) => r as string[]);
    ['a', 'b', 'c'].forEach((client, n) =>
      expect(replies[n], `client ${client}'s replies`).toEqual(
        Array.from({ length: count }, (_, i) => `re ${client}:${i}`),
      ),
    );
  });
});
