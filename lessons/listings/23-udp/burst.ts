// A burst of UDP datagrams into a receiver that is not reading, with a small
// receive buffer: the kernel keeps what fits and drops the rest, and nobody is
// told (lessons/23-udp.md). The sender is a child process; the parent blocks
// its own event loop until the child has sent everything, so no datagram is
// read during the burst.
import dgram from 'node:dgram';
import { once } from 'node:events';
import { Segment, getpid, startProcess } from '@ipc-course/shim';

const BURST = 1000;
const DONE = 0; // cell: 1 once the sender has sent every datagram

if (process.argv[2] === 'sender') {
  const [port, segmentName] = process.argv.slice(3);
  const segment = Segment.open(segmentName);
  const socket = dgram.createSocket('udp4');
  const payload = Buffer.alloc(100);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < BURST; i++) {
    payload.writeUInt32BE(i, 0);
    sends.push(
      new Promise((resolve, reject) =>
        socket.send(payload, Number(port), '127.0.0.1', (error) =>
          error ? reject(error) : resolve(),
        ),
      ),
    );
  }
  await Promise.all(sends); // every sendto returned: the datagrams are in the receiver's buffer, or dropped
  socket.close();
  segment.store(DONE, 1);
  segment.notify(DONE);
  segment.close();
} else {
  const segment = Segment.create(`ipcc-${getpid()}-burst`, 4);
  const receiver = dgram.createSocket({ type: 'udp4', recvBufferSize: 4096 }); // SO_RCVBUF: tiny on purpose
  try {
    receiver.bind(0, '127.0.0.1');
    await once(receiver, 'listening');
    let received = 0;
    receiver.on('message', () => received++);
    const sender = startProcess(import.meta.url, [
      'sender',
      String(receiver.address().port),
      segment.name,
    ]);
    // Block this thread, and with it the event loop: nothing reads the socket until the burst is over.
    segment.wait(DONE, 0, 15_000);
    await once(sender, 'exit');
    await new Promise((resolve) => setTimeout(resolve, 100)); // read what the buffer kept
    console.log(
      `receive buffer: ${receiver.getRecvBufferSize()} bytes (the kernel doubles what you ask)`,
    );
    console.log(`sent ${BURST} datagrams of 100 bytes, received ${received}`);
    console.log(`dropped without a word: ${BURST - received > 0}`);
  } finally {
    receiver.close();
    segment.close();
    Segment.unlink(segment.name);
  }
}
