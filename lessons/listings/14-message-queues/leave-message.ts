// A child process for lessons/14-message-queues.md: creates the queue named in
// argv[2], leaves one message in it, and exits without unlinking it.
import { MessageQueue, getpid } from '@ipc-course/shim';

const queue = MessageQueue.open(process.argv[2], { create: true, exclusive: true });
queue.send(new TextEncoder().encode(`hello from process ${getpid()}, who has exited`));
queue.close(); // closes this process's descriptor; the queue itself stays
