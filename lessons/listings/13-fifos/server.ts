// The server of lessons/13-fifos.md. Usage: server.ts <request fifo> <how many requests>
// A request is one line "<reply fifo> <word>", sent by one write(2) of at most PIPE_BUF
// bytes, so lines never mix. The word, in capitals, goes back through the reply FIFO.
import { close, openFifo, read, write } from '@ipc-course/shim';

const [requestFifo, howMany] = process.argv.slice(2);
const requests = openFifo(requestFifo, 'r'); // blocks until the first client opens it
const keepOpen = openFifo(requestFifo, 'w'); // our own writer: no end of file between two clients
let pending = '';
let served = 0;
while (served < Number(howMany)) {
  pending += new TextDecoder().decode(read(requests, 4096));
  let newline: number;
  while ((newline = pending.indexOf('\n')) >= 0) {
    const [replyFifo, word] = pending.slice(0, newline).split(' ');
    pending = pending.slice(newline + 1);
    const reply = openFifo(replyFifo, 'w'); // blocks until the client opens it to read
    write(reply, new TextEncoder().encode(word.toUpperCase()));
    close(reply); // the client's read returns end of file after the answer
    served += 1;
  }
}
close(keepOpen);
close(requests);
console.log(`server: served ${served} requests`);
