// Lesson 11's pipe round trip, for lessons/16-sockets.md: the median round
// trip of an 8-byte message to lesson 11's echo child over two pipes, in µs.
import { once } from 'node:events';
import { close, pipe, read, startProcess, write } from '@ipc-course/shim';

export async function pipeRoundTrip(): Promise<number> {
  const [toChildRead, toChildWrite] = pipe();
  const [fromChildRead, fromChildWrite] = pipe();
  const echo = new URL('../11-pipes/echo.ts', import.meta.url);
  const child = startProcess(echo, [], {
    stdio: ['ignore', 'inherit', 'inherit', toChildRead, fromChildWrite],
  });
  close(toChildRead);
  close(fromChildWrite);
  const message = new Uint8Array(8);
  const micros: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const start = performance.now();
    write(toChildWrite, message);
    for (let got = 0; got < message.length; )
      got += read(fromChildRead, message.length - got).length;
    if (i >= 1000) micros.push((performance.now() - start) * 1000); // the first 1000 warm up
  }
  close(toChildWrite);
  await once(child, 'exit');
  close(fromChildRead);
  return micros.sort((a, b) => a - b)[micros.length >> 1];
}
