// Worker for "delivers every message exactly once, in each sender's order, across worker
// threads": attaches to the shared mailbox, waits for GO, then either sends `count`
// messages "<sender>:<i>" (a sender) or receives `count` messages and sends them back as text.
//
// Messages to the test: 'ready' once attached, then the texts it received ([] for a sender).
import { parentPort, workerData } from 'node:worker_threads';
import { Segment } from '@ipc-course/shim';
import { decodeText, encodeText, Mailbox } from './mailbox.ts';

// Cell 0 is the test's GO cell; the mailbox starts at byte 64. Keep in sync with the test.
const GO = 0;
const MAILBOX_OFFSET = 64;

const { name, role, sender, count } = workerData as {
  name: string;
  role: 'sender' | 'receiver';
  sender: string;
  count: number;
};
const segment = Segment.open(name);
const mailbox = new Mailbox(segment, MAILBOX_OFFSET);

parentPort!.postMessage('ready');
while (segment.load(GO) === 0) segment.wait(GO, 0); // start barrier

const received: string[] = [];
for (let i = 0; i < count; i++) {
  if (role === 'sender') {
    if (!mailbox.send(encodeText(`${sender}:${i}`), 10_000))
      throw new Error(`send(…, 10000) of message ${i} gave up: are receivers woken?`);
  } else {
    const message = mailbox.receive(10_000);
    if (message === undefined)
      throw new Error('receive(10000) returned undefined while messages were still coming');
    received.push(decodeText(message));
  }
}

segment.close();
parentPort!.postMessage(received);
