// The median round trip of 8 bytes over a Unix socket, over TCP loopback and
// over two pipes, each to an echo child (lessons/16-sockets.md).
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startProcess } from '@ipc-course/shim';
import { pipeRoundTrip } from './pipe-round-trip.ts';

const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
const message = Buffer.alloc(8);

async function socketRoundTrip(where: string): Promise<number> {
  const server = startProcess(new URL('./echo-server.ts', import.meta.url), [where], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await once(server.stdout!, 'data'); // where it listens, once it does
  const address = String(line).trim();
  const socket = where === 'tcp' ? net.connect(Number(address), '127.0.0.1') : net.connect(address);
  socket.setNoDelay(true);
  await once(socket, 'connect');
  const micros: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const start = performance.now();
    socket.write(message);
    for (let got = 0; got < message.length; )
      got += ((await once(socket, 'data'))[0] as Buffer).length;
    if (i >= 1000) micros.push((performance.now() - start) * 1000); // the first 1000 warm up
  }
  socket.end();
  await once(server, 'exit');
  return median(micros);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'ipcc-'));
try {
  console.log(
    `Unix socket round trip:   ${(await socketRoundTrip(path.join(dir, 'echo.sock'))).toFixed(1)} µs`,
  );
  console.log(`TCP loopback round trip:  ${(await socketRoundTrip('tcp')).toFixed(1)} µs`);
  console.log(`pipe round trip:          ${(await pipeRoundTrip()).toFixed(1)} µs`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
