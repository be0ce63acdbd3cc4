// Worker for "delivers every message exactly once ...": attaches to the shared
// mailbox, waits for GO, then either sends `count` messages with ids from `first`
// on (a sender) or receives `count` messages and sends back [id, priority] of each.
// A message is its id as 4 bytes, then the id again as text (so lengths vary).
//
// Messages to the test: 'ready' once attached, then what it received ([] for a sender).
import { parentPort, workerData } from 'node:worker_threads';
import { Segment } from '@ipc-course/shim';
import { PriorityMailbox } from './priority-mailbox.ts';

// Cell 0 is the test's GO cell; the mailbox starts at byte 64. Keep in sync with the test.
const GO = 0;
const MAILBOX_OFFSET = 64;

const { name, role, first, count } = workerData as {
  name: string;
  role: 'sender' | 'receiver';
  first: number;
  count: number;
};
const segment = Segment.open(name);
const mailbox = new PriorityMailbox(segment, MAILBOX_OFFSET);
const encode = (id: number) =>
  new Uint8Array([
    ...new Uint8Array(new Uint32Array([id]).buffer),
    ...new TextEncoder().encode(String(id)),
  ]);

parentPort!.postMessage('ready');
while (segment.load(GO) === 0) segment.wait(GO, 0); // start barrier

const received: [id: number, priority: number][] = [];
for (let i = 0; i < count; i++) {
  if (role === 'sender') {
    const id = first + i;
    const priority = (id * 7) % 5; // priorities 0..4, in a scrambled order
    if (!mailbox.send(encode(id), priority, 10_000))
      throw new Error(`send(${id}, ${priority}, 10000) gave up: are receivers woken?`);
  } else {
    const message = mailbox.receive(10_000);
    if (message === undefined)
      throw new Error('receive(10000) returned undefined while messages were still coming');
    const id = new Uint32Array(message.message.slice(0, 4).buffer)[0];
    if (String(id) !== new TextDecoder().decode(message.message.slice(4)))
      throw new Error(`a torn message: ${message.message.join(',')}`);
    received.push([id, message.priority]);
  }
}

segment.close();
parentPort!.postMessage(received);
