// The same 60 seeded sends and receives on a POSIX queue and on a mailbox of the
// same depth: your PriorityMailbox once it is written, the lesson's sketch until
// then (lessons/19-priority-mailbox.md).
import { MessageQueue, Segment, getpid, seededRandom } from '@ipc-course/shim';
import { PriorityMailbox } from '../../../exercises/19-priority-mailbox/priority-mailbox.ts';
import { SketchMailbox } from './sketch.ts';

type Mailbox = Pick<PriorityMailbox, 'trySend' | 'tryReceive'>;
const options = { capacity: 5, maxMessageBytes: 8 };
const segment = Segment.create(`ipcc-${getpid()}-side`, 4096);
const name = `/ipcc-${getpid()}-side`;
const queue = MessageQueue.open(name, {
  create: true,
  exclusive: true,
  maxMessages: 5,
  messageSize: 8,
});
try {
  let mailbox: Mailbox;
  let whose = 'your PriorityMailbox';
  try {
    mailbox = PriorityMailbox.init(segment, 0, options);
  } catch (error) {
    if (!String(error).includes('TODO')) throw error;
    mailbox = new SketchMailbox(segment, options.capacity, options.maxMessageBytes);
    whose = 'the sketch (your init still says TODO)';
  }
  const random = seededRandom(19);
  const label = (data: Uint8Array, priority: number) =>
    `${new TextDecoder().decode(data)}${priority}`;
  const [kernel, yours]: string[][] = [[], []];
  let refused = 0;
  for (let step = 0; step < 60; step++) {
    if (random() < 0.55) {
      const message = new TextEncoder().encode(String.fromCharCode(97 + (step % 26)));
      const priority = Math.floor(random() * 3);
      const [k, y] = [queue.send(message, priority, 0), mailbox.trySend(message, priority)];
      if (k !== y) throw new Error(`step ${step}: the kernel's send said ${k}, the mailbox's ${y}`);
      if (!k) refused++;
    } else {
      const [k, y] = [queue.receive(0), mailbox.tryReceive()];
      if (k) kernel.push(label(k.data, k.priority));
      if (y) yours.push(label(y.message, y.priority));
    }
  }
  console.log(`beside the kernel: ${whose}\nsends refused because the queue was full: ${refused}`);
  console.log(`kernel:  ${kernel.join(' ')}\nmailbox: ${yours.join(' ')}`);
  console.log(
    kernel.join() === yours.join() ? 'the same messages, in the same order' : 'THEY DIFFER',
  );
} finally {
  queue.close();
  MessageQueue.unlink(name);
  segment.close();
  Segment.unlink(segment.name);
}
