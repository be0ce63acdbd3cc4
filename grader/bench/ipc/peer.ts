// The other side of every `npm run bench -- ipc` measurement: a child process
// (or, for MessagePort, a worker thread). argv / workerData: mechanism, test, count, ...
// IPC_BENCH_CPU in the environment: the CPU to pin this thread to.
//   rtt N:    echo N messages back, one at a time
//   oneway N: echo one message (the start line: the peer is up), then receive
//             N messages and send one reply
import { connect } from 'node:net';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { MessageQueue, Segment, pinThread, read, write } from '@ipc-course/shim';
import { put, take } from './ring.ts';

const MESSAGE = new Uint8Array(8);
const [mechanism, test, countText, ...rest] = isMainThread
  ? process.argv.slice(2)
  : (workerData as string[]);
const count = Number(countText);
// ipc.ts pins its round trips: the peer to the CPU it names (see peerEnv there).
if (process.env.IPC_BENCH_CPU !== undefined) pinThread([Number(process.env.IPC_BENCH_CPU)]);

if (mechanism === 'ring') {
  const toPeer = Segment.open(rest[0]);
  const fromPeer = Segment.open(rest[1]);
  if (test === 'rtt') {
    for (let i = 0; i < count; i++) put(fromPeer, take(toPeer), 0);
  } else {
    put(fromPeer, take(toPeer), 0);
    for (let i = 0; i < count; i++) take(toPeer);
    put(fromPeer, count, 0);
  }
} else if (mechanism === 'pipe') {
  const [readFd, writeFd] = [3, 4];
  if (test === 'rtt') {
    for (let i = 0; i < count; i++) {
      for (let got = 0; got < 8; ) got += read(readFd, 8 - got).length;
      write(writeFd, MESSAGE);
    }
  } else {
    for (let got = 0; got < 8; ) got += read(readFd, 8 - got).length;
    write(writeFd, MESSAGE);
    for (let got = 0; got < 8 * count; ) got += read(readFd).length; // a read may return many messages
    write(writeFd, MESSAGE);
  }
} else if (mechanism === 'mq') {
  const toPeer = MessageQueue.open(rest[0]);
  const fromPeer = MessageQueue.open(rest[1]);
  if (test === 'rtt') {
    for (let i = 0; i < count; i++) fromPeer.send(toPeer.receive()!.data);
  } else {
    fromPeer.send(toPeer.receive()!.data);
    for (let i = 0; i < count; i++) toPeer.receive();
    fromPeer.send(MESSAGE);
  }
  toPeer.close();
  fromPeer.close();
} else if (mechanism === 'unix') {
  const socket = connect(rest[0]);
  let got = test === 'rtt' ? 0 : -8; // oneway: the first 8 bytes are the start line
  socket.on('data', (chunk) => {
    got += chunk.length;
    if (got === 0) {
      socket.write(MESSAGE);
    } else if (test === 'rtt') {
      for (; got >= 8; got -= 8) socket.write(MESSAGE);
    } else if (got === 8 * count) {
      socket.end(MESSAGE);
    }
  });
} else if (mechanism === 'port' || mechanism === 'cp') {
  const send =
    mechanism === 'port'
      ? (m: unknown) => parentPort!.postMessage(m)
      : (m: unknown) => process.send!(m);
  const on = (listener: (m: unknown) => void) =>
    mechanism === 'port' ? parentPort!.on('message', listener) : process.on('message', listener);
  let got = test === 'rtt' ? 0 : -1; // oneway: the first message is the start line
  on((message) => {
    got++;
    if (test === 'rtt' || got === 0) send(message);
    else if (got === count) send(message);
    if (got === count) mechanism === 'port' ? parentPort!.close() : process.disconnect();
  });
}
