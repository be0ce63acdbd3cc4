// Worker for "a worker thread sends 2,000 messages with nobody receiving": attaches to the
// shared mailbox and sends `count` messages "<i>" without waiting for anyone, then says 'sent'.
import { parentPort, workerData } from 'node:worker_threads';
import { Segment } from '@ipc-course/shim';
import { UnboundedMailbox } from './unbounded-mailbox.ts';

const MAILBOX_OFFSET = 64; // keep in sync with the test

const { name, count } = workerData as { name: string; count: number };
const segment = Segment.open(name);
const mailbox = new UnboundedMailbox(segment, MAILBOX_OFFSET);
for (let i = 0; i < count; i++) mailbox.send(new TextEncoder().encode(String(i)));
segment.close();
parentPort!.postMessage('sent');
