// A child process for lessons/18-mailbox.md: attaches to the segment
// named in argv[2], receives on the little mailbox at cell 0 and sends each
// message back on the one at cell argv[3], until an empty message.
import { Segment } from '@ipc-course/shim';
import { receive, send } from './little-mailbox.ts';

const segment = Segment.open(process.argv[2]);
const replies = Number(process.argv[3]);
for (;;) {
  const message = receive(segment, 0);
  if (message.length === 0) break; // the parent's "stop"
  send(segment, replies, message);
}
segment.close();
