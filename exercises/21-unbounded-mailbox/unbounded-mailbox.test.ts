// Visible tests for exercises/21-unbounded-mailbox: run them with
//   npm test -- exercises/21-unbounded-mailbox
// They check your unbounded-mailbox.ts from one thread, then with a worker thread sending.
// The grader's hidden tests go further (processes, controlled schedules, CPU use).
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, Scratch, Segment, segmentFolder } from '@ipc-course/shim';
import { UnboundedMailbox } from './unbounded-mailbox.ts';

// Segments and workers made by one test, removed after it whatever happened; chunks too.
const scratch = new Scratch('unbounded');
const chunksOf = (segment: Segment) =>
  readdirSync(segmentFolder()).filter((name) => name.startsWith(`${segment.name}-64-`));
let made: Segment[] = [];
afterEach(() => {
  for (const name of made.flatMap(chunksOf)) Segment.unlink(name);
  made = [];
  scratch.release();
});
const newMailbox = (chunkMessages: number, maxTotalBytes = 1 << 20, maxMessageBytes = 16) => {
  const segment = scratch.segment(64 + UnboundedMailbox.byteLength({ maxMessageBytes }));
  made.push(segment);
  return {
    segment,
    mailbox: UnboundedMailbox.init(segment, 64, { maxMessageBytes, chunkMessages, maxTotalBytes }),
  };
};
const encode = (text: string) => new TextEncoder().encode(text);
const text = (message: Uint8Array | undefined) =>
  message === undefined ? undefined : new TextDecoder().decode(message);

describe('UnboundedMailbox on one thread', () => {
  it('keeps every message sent, oldest first, in chunks it creates and gives back', () => {
    const { segment, mailbox } = newMailbox(4);
    expect(chunksOf(segment), 'no chunk before the first send').toEqual([]);
    for (let i = 0; i < 10; i++) mailbox.send(encode(`m${i}`));
    expect(chunksOf(segment).length, '10 messages in chunks of 4').toBe(3);
    const again = new UnboundedMailbox(segment, 64); // the same mailbox, attached again
    expect(Array.from({ length: 10 }, () => text(again.receive()))).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${i}`),
    );
    expect([again.tryReceive(), again.receive(0)]).toEqual([undefined, undefined]);
    expect(chunksOf(segment), 'every chunk given back once drained').toEqual([]);
  });

  it('throws ENOMEM at the limit and loses nothing; EMSGSIZE and EINVAL for bad arguments', () => {
    const { mailbox } = newMailbox(4, 300);
    let sent = 0;
    for (; sent < 1000; sent++)
      if (errorCode(() => mailbox.send(encode(`m${sent}`))) === 'ENOMEM') break;
    expect(sent, 'messages sent before ENOMEM (maxTotalBytes 300, chunks of 4)').toBeLessThan(1000);
    expect(sent).toBeGreaterThanOrEqual(4);
    expect(errorCode(() => mailbox.send(encode('one more')))).toBe('ENOMEM');
    expect(Array.from({ length: sent }, () => text(mailbox.tryReceive()))).toEqual(
      Array.from({ length: sent }, (_, i) => `m${i}`),
    );
    expect(mailbox.tryReceive()).toBeUndefined();
    expect(errorCode(() => mailbox.send(new Uint8Array(17)))).toBe('EMSGSIZE');
    expect(errorCode(() => mailbox.send('hello' as unknown as Uint8Array))).toBe('EINVAL');
    expect(errorCode(() => mailbox.receive(-1))).toBe('EINVAL');
    expect(errorCode(() => UnboundedMailbox.byteLength({ maxMessageBytes: 0 }))).toBe('EINVAL');
  });

  it('after close: send throws ECLOSED, receives drain, then return undefined at once; close wakes receiveAsync', async () => {
    const { mailbox } = newMailbox(2);
    mailbox.send(encode('last'));
    mailbox.close();
    expect(errorCode(() => mailbox.send(encode('late')))).toBe('ECLOSED');
    expect(text(mailbox.receive())).toBe('last');
    const start = performance.now();
    expect([mailbox.receive(), await mailbox.receiveAsync()]).toEqual([undefined, undefined]);
    expect(performance.now() - start).toBeLessThan(500);
    const { mailbox: open } = newMailbox(2);
    const waiting = [open.receiveAsync(5000), open.receiveAsync(5000)];
    setTimeout(() => open.close(), 100);
    expect(await Promise.all(waiting)).toEqual([undefined, undefined]);
  });
});

describe('UnboundedMailbox with a worker thread', () => {
  it('a worker thread sends 2,000 messages with nobody receiving, and they all arrive in order', async () => {
    const { segment, mailbox } = newMailbox(64);
    const count = 2000;
    const worker = scratch.worker(new URL('./send-worker.ts', import.meta.url), {
      name: segment.name,
      count,
    });
    const [said] = await once(worker, 'message'); // rejects if the worker throws
    expect(said, 'the worker finished every send without anyone receiving').toBe('sent');
    expect(chunksOf(segment).length, 'chunks holding 2,000 messages of 64 each').toBe(
      Math.ceil(count / 64),
    );
    const got = Array.from({ length: count }, () => text(mailbox.receive(1000)));
    expect(got).toEqual(Array.from({ length: count }, (_, i) => String(i)));
    expect(chunksOf(segment)).toEqual([]);
  });
});
