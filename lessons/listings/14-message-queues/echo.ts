// A child process for lessons/14-message-queues.md: receives on the queue named
// in argv[2] and sends each message back on argv[3], until an empty message.
// With argv[4] === 'count', it only counts, and sends the count at the end.
import { MessageQueue } from '@ipc-course/shim';

const requests = MessageQueue.open(process.argv[2]);
const replies = MessageQueue.open(process.argv[3]);
const countOnly = process.argv[4] === 'count';
let count = 0;
for (;;) {
  const message = requests.receive()!; // blocks while the queue is empty
  if (message.data.length === 0) break; // the parent's "stop"
  count++;
  if (!countOnly) replies.send(message.data);
}
if (countOnly) replies.send(new TextEncoder().encode(String(count)));
requests.close();
replies.close();
