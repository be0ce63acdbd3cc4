// Visible tests for exercises/18-mailbox: run them with
//   npm test -- exercises/18-mailbox
// They check your mailbox.ts from one thread, then from worker threads at once.
// The grader's hidden tests go further (child processes, a linearizability check, CPU use).
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, errorCodeAsync, Scratch } from '@ipc-course/shim';
import { decodeJson, decodeText, encodeJson, encodeText, Mailbox } from './mailbox.ts';

// Segments and workers made by one test, removed after it whatever happened.
const scratch = new Scratch('mailbox');
afterEach(() => scratch.release());
const newMailbox = (capacity: number, maxMessageBytes = 64) => {
  const segment = scratch.segment(64 + Mailbox.byteLength({ capacity, maxMessageBytes }));
  return { segment, mailbox: Mailbox.init(segment, 64, { capacity, maxMessageBytes }) };
};
const text = (message: Uint8Array | undefined) =>
  message === undefined ? undefined : decodeText(message);

describe('Mailbox on one thread', () => {
  it('gives whole messages back oldest first, and refuses a send when full', () => {
    const { segment, mailbox } = newMailbox(2);
    expect([mailbox.capacity, mailbox.maxMessageBytes]).toEqual([2, 64]);
    expect([
      mailbox.send(encodeText('hello')),
      mailbox.trySend(new Uint8Array(0)),
      mailbox.trySend(encodeText('x')),
      mailbox.send(encodeText('y'), 0),
    ]).toEqual([true, true, false, false]);
    const again = new Mailbox(segment, 64); // the same mailbox, attached again
    expect([
      text(again.receive()),
      text(again.tryReceive()),
      again.tryReceive(),
      again.receive(0),
    ]).toEqual(['hello', '', undefined, undefined]);
    expect(mailbox.checkInvariants()).toBeNull();
  });

  it('carries messages of every length up to maxMessageBytes, many times round', () => {
    const { mailbox } = newMailbox(3, 10);
    for (let i = 0; i < 40; i++) {
      const message = Uint8Array.from({ length: i % 11 }, (_, j) => (i * 7 + j) & 0xff);
      expect(mailbox.send(message)).toBe(true);
      expect(mailbox.receive()).toEqual(message);
    }
    expect(decodeJson(encodeJson({ job: 7, pages: [1, 2] }))).toEqual({ job: 7, pages: [1, 2] });
  });

  it('throws EMSGSIZE for a message over maxMessageBytes, EINVAL for bad arguments', async () => {
    const { mailbox } = newMailbox(2, 8);
    expect(errorCode(() => mailbox.send(new Uint8Array(9)))).toBe('EMSGSIZE');
    expect(errorCode(() => mailbox.trySend(new Uint8Array(9)))).toBe('EMSGSIZE');
    expect(await errorCodeAsync(() => mailbox.sendAsync(new Uint8Array(9)))).toBe('EMSGSIZE');
    expect(errorCode(() => mailbox.send('hello' as unknown as Uint8Array))).toBe('EINVAL');
    expect(errorCode(() => mailbox.receive(-1))).toBe('EINVAL');
    expect(errorCode(() => Mailbox.byteLength({ capacity: -1, maxMessageBytes: 8 }))).toBe(
      'EINVAL',
    );
    expect(errorCode(() => Mailbox.byteLength({ capacity: 2, maxMessageBytes: 0 }))).toBe('EINVAL');
    expect(mailbox.tryReceive(), 'a refused message is not in the mailbox').toBeUndefined();
  });

  it('after close: sends throw ECLOSED, receives drain, then return undefined at once', async () => {
    const { mailbox } = newMailbox(2);
    mailbox.send(encodeText('last'));
    mailbox.close();
    expect(errorCode(() => mailbox.send(encodeText('late')))).toBe('ECLOSED');
    expect(errorCode(() => mailbox.trySend(encodeText('late')))).toBe('ECLOSED');
    expect(await errorCodeAsync(() => mailbox.sendAsync(encodeText('late')))).toBe('ECLOSED');
    expect(text(mailbox.receive())).toBe('last');
    const start = performance.now();
    expect([mailbox.receive(), await mailbox.receiveAsync()]).toEqual([undefined, undefined]);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('gives up a timed receive in about its time', () => {
    const { mailbox } = newMailbox(1);
    const start = performance.now();
    expect(mailbox.receive(150)).toBeUndefined();
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(2000);
  });

  it('with capacity 0, a send returns only once a receiver has taken its message', async () => {
    const { mailbox } = newMailbox(0);
    expect(mailbox.trySend(encodeText('nobody waits')), 'trySend with capacity 0').toBe(false);
    let done = false;
    const sent = mailbox.sendAsync(encodeText('hand over'), 5000).then((ok) => ((done = true), ok));
    await sleep(200);
    expect(done, 'sendAsync resolved before anyone received').toBe(false);
    expect(text(mailbox.tryReceive())).toBe('hand over');
    expect(await sent).toBe(true);
    expect(
      mailbox.send(encodeText('nobody takes it'), 100),
      'a timed rendezvous that nobody takes',
    ).toBe(false);
    expect(mailbox.tryReceive(), 'a send that timed out left nothing behind').toBeUndefined();
  });

  it('lets timers fire while receiveAsync waits, and close wakes it', async () => {
    const { mailbox } = newMailbox(1);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const sendLater = setTimeout(() => mailbox.send(encodeText('late')), 200);
    try {
      expect(text(await mailbox.receiveAsync(5000))).toBe('late');
    } finally {
      clearInterval(timer);
      clearTimeout(sendLater);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
    const waiting = [mailbox.receiveAsync(5000), mailbox.receiveAsync(5000)];
    setTimeout(() => mailbox.close(), 100);
    expect(await Promise.all(waiting)).toEqual([undefined, undefined]);
  });
});

describe('Mailbox across worker threads', () => {
  const GO = 0; // shared with send-worker.ts (keep the two in sync)

  it("delivers every message exactly once, in each sender's order, across worker threads", async () => {
    const { segment, mailbox } = newMailbox(2, 32);
    const count = 300;
    const roles = [
      { role: 'sender', sender: 'a', count },
      { role: 'sender', sender: 'b', count },
      { role: 'receiver', sender: '', count },
      { role: 'receiver', sender: '', count },
    ];
    for (const role of roles)
      scratch.worker(new URL('./send-worker.ts', import.meta.url), { name: segment.name, ...role });
    // once() rejects if the worker throws, so a crash fails the test at once.
    const nextMessages = () =>
      Promise.all(scratch.workers.map((worker) => once(worker, 'message')));
    expect((await nextMessages()).flat()).toEqual(Array(roles.length).fill('ready'));
    const done = nextMessages();
    segment.store(GO, 1);
    segment.notify(GO);
    const [, , first, second] = (await done).map(([received]) => received as string[]);
    const sent = ['a', 'b'].flatMap((s) => Array.from({ length: count }, (_, i) => `${s}:${i}`));
    expect([...first, ...second].sort(), 'every message received exactly once').toEqual(
      [...sent].sort(),
    );
    for (const received of [first, second]) {
      for (const s of ['a', 'b']) {
        const order = received.filter((m) => m.startsWith(`${s}:`)).map((m) => Number(m.slice(2)));
        expect(
          order,
          `one receiver sees sender ${s}'s messages in the order they were sent`,
        ).toEqual([...order].sort((x, y) => x - y));
      }
    }
    expect(mailbox.size).toBe(0);
    expect(mailbox.checkInvariants()).toBeNull();
  });
});
