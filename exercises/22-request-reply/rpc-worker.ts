// Worker for the visible tests: attaches to the shared channel at byte 64, then
// either calls `count` times with "<client>:<i>" (a client) and posts the replies,
// or serves `count` requests, answering "re <request>" (the server).
import { parentPort, workerData } from 'node:worker_threads';
import { Segment } from '@ipc-course/shim';
import { decodeText, encodeText, RpcChannel } from './request-reply.ts';

const OFFSET = 64; // keep in sync with the test
const { name, role, client, count } = workerData as {
  name: string;
  role: 'client' | 'server';
  client: string;
  count: number;
};
const segment = Segment.open(name);
const channel = new RpcChannel(segment, OFFSET);

const replies: string[] = [];
if (role === 'server') channel.serve((request) => encodeText(`re ${decodeText(request)}`), count);
else {
  for (let i = 0; i < count; i++) {
    const reply = channel.call(encodeText(`${client}:${i}`), 10_000);
    replies.push(reply === undefined ? 'timed out' : decodeText(reply));
  }
}
segment.close();
parentPort!.postMessage(replies);
