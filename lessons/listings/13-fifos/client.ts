// A client of lessons/13-fifos.md. Usage: client.ts <request fifo> <word>
// Makes its own reply FIFO, sends one request line, prints the answer.
import { rmSync } from 'node:fs';
import { close, getpid, mkfifo, openFifo, read, write } from '@ipc-course/shim';

const [requestFifo, word] = process.argv.slice(2);
const replyFifo = `${requestFifo}.reply-${getpid()}`; // unique: our pid is in the name
mkfifo(replyFifo); // before the request: the server opens it as soon as it reads the line
try {
  const requests = openFifo(requestFifo, 'w');
  write(requests, new TextEncoder().encode(`${replyFifo} ${word}\n`)); // one write: one whole line
  close(requests);
  const reply = openFifo(replyFifo, 'r');
  let answer = '';
  for (let bytes = read(reply); bytes.length > 0; bytes = read(reply))
    answer += new TextDecoder().decode(bytes);
  close(reply);
  console.log(`client: sent ${word}, got ${answer}`);
} finally {
  rmSync(replyFifo); // unlink: a FIFO outlives its processes, like any file
}
