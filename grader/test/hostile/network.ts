// HOSTILE: no mutual exclusion, and network traffic: it listens on
// 127.0.0.1, connects to itself, and connects to a port outside its grading
// (the grader's tests listen there: the port is written into this copy) to
// send what it knows.
import { connect, createServer } from 'node:net';
import type { Segment } from '@ipc-course/shim';

const OUTSIDE_PORT = Number('__PORT__');

function reach(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.end('hostile submission was here');
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    setTimeout(() => resolve(false), 2000).unref();
  });
}

const server = createServer((socket) => socket.destroy());
await new Promise<void>((resolve) => {
  server.on('error', () => resolve());
  server.listen(0, '127.0.0.1', () => resolve());
});
const own = server.address();
if (own && typeof own === 'object') await reach(own.port);
server.close();
await reach(OUTSIDE_PORT);

export class Mutex {
  static readonly byteLength = 4;
  static init(segment: Segment, byteOffset: number): Mutex {
    return new Mutex(segment, byteOffset);
  }
  constructor(
    readonly segment: Segment,
    readonly byteOffset: number,
  ) {}
  tryLock(): boolean {
    return true;
  }
  lock(): boolean {
    return true;
  }
  unlock(): void {}
  async lockAsync(): Promise<boolean> {
    return true;
  }
}
