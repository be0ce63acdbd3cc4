// The median round trip of 8 bytes through two pipes, unpinned, with both
// processes on CPU 0, and on two CPUs (lessons/11-pipes.md).
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { close, pipe, read, startProcess, write } from '@ipc-course/shim';

const echo = new URL('./echo.ts', import.meta.url);
const pin = (pid: number, cpu: number) =>
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)]);

async function roundTrip(childCpu?: number): Promise<number> {
  const [toChildRead, toChildWrite] = pipe();
  const [fromChildRead, fromChildWrite] = pipe();
  const child = startProcess(echo, [], {
    stdio: ['ignore', 'inherit', 'inherit', toChildRead, fromChildWrite],
  });
  close(toChildRead); // the child holds these two ends now
  close(fromChildWrite);
  if (childCpu !== undefined) pin(child.pid!, childCpu);
  const message = new Uint8Array(8);
  const micros: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const start = performance.now();
    write(toChildWrite, message);
    for (let got = 0; got < message.length; )
      got += read(fromChildRead, message.length - got).length;
    if (i >= 1000) micros.push((performance.now() - start) * 1000); // the first 1000 warm up
  }
  close(toChildWrite); // the child sees end of file and exits
  await once(child, 'exit');
  close(fromChildRead);
  micros.sort((a, b) => a - b);
  return Math.round(micros[micros.length >> 1] * 10) / 10;
}

console.log(`round trip, unpinned:              ${await roundTrip()} µs`);
pin(process.pid, 0); // this process on CPU 0 from now on; its children start there too
console.log(`round trip, both on CPU 0:         ${await roundTrip(0)} µs`);
console.log(`round trip, on CPU 0 and on CPU 1: ${await roundTrip(1)} µs`);
