// The median round trip of an 8-byte message through two POSIX message queues
// and an echo child, then 8-byte messages per second one way
// (lessons/14-message-queues.md).
import { once } from 'node:events';
import { MessageQueue, close, getpid, pipe, read, startProcess, write } from '@ipc-course/shim';

const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
const requestName = `/ipcc-${getpid()}-requests`;
const replyName = `/ipcc-${getpid()}-replies`;
const requests = MessageQueue.open(requestName, { create: true, exclusive: true, messageSize: 64 });
const replies = MessageQueue.open(replyName, { create: true, exclusive: true, messageSize: 64 });
const message = new Uint8Array(8);
try {
  const echo = new URL('./echo.ts', import.meta.url);
  let child = startProcess(echo, [requestName, replyName]);
  const micros: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const start = performance.now();
    requests.send(message);
    replies.receive();
    if (i >= 1000) micros.push((performance.now() - start) * 1000); // the first 1000 warm up
  }
  requests.send(new Uint8Array(0)); // "stop"
  await once(child, 'exit');
  console.log(`message queue round trip: ${median(micros).toFixed(1)} µs`);

  child = startProcess(echo, [requestName, replyName, 'count']);
  const count = 50_000;
  const start = performance.now();
  for (let i = 0; i < count; i++) requests.send(message); // sleeps whenever 10 are waiting
  requests.send(new Uint8Array(0));
  const received = Number(new TextDecoder().decode(replies.receive()!.data));
  const seconds = (performance.now() - start) / 1000;
  await once(child, 'exit');
  console.log(
    `message queue one way: ${received} messages, ${Math.round(count / seconds / 1000)} k msg/s`,
  );
} finally {
  requests.close();
  replies.close();
  MessageQueue.unlink(requestName);
  MessageQueue.unlink(replyName);
}

// The same round trip over two pipes, with lesson 11's echo child.
const [toChildRead, toChildWrite] = pipe();
const [fromChildRead, fromChildWrite] = pipe();
const pipeEcho = new URL('../11-pipes/echo.ts', import.meta.url);
const child = startProcess(pipeEcho, [], {
  stdio: ['ignore', 'inherit', 'inherit', toChildRead, fromChildWrite],
});
close(toChildRead);
close(fromChildWrite);
const micros: number[] = [];
for (let i = 0; i < 3000; i++) {
  const start = performance.now();
  write(toChildWrite, message);
  for (let got = 0; got < message.length; ) got += read(fromChildRead, message.length - got).length;
  if (i >= 1000) micros.push((performance.now() - start) * 1000);
}
close(toChildWrite);
await once(child, 'exit');
close(fromChildRead);
console.log(`pipe round trip:          ${median(micros).toFixed(1)} µs`);
