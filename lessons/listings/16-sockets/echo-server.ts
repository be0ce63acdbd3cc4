// A child process for lessons/16-sockets.md: an echo server on the Unix socket
// path in argv[2], or on 127.0.0.1 (a free port) if argv[2] is 'tcp'. It prints
// where it listens, serves one client, and exits when that client ends.
import net from 'node:net';

const server = net.createServer((socket) => {
  socket.setNoDelay(true); // TCP: send each small write at once (no Nagle delay)
  socket.pipe(socket); // every byte read is written back
  socket.on('close', () => server.close()); // one client, then the process exits
});
const where = process.argv[2];
if (where === 'tcp')
  server.listen(0, '127.0.0.1', () => console.log((server.address() as net.AddressInfo).port));
else server.listen(where, () => console.log(where));
