// A child process for lessons/13-fifos.md. Usage: writer.ts <fifo> <letter> <count> <size>
// Opens the FIFO, says "ready", then writes `count` records of `letter`s, one write(2) each.
import { close, openFifo, write } from '@ipc-course/shim';

const [fifo, letter, count, size] = process.argv.slice(2);
const record = new Uint8Array(Number(size)).fill(letter.charCodeAt(0));
const fd = openFifo(fifo, 'w');
process.stdout.write('ready\n');
for (let i = 0; i < Number(count); i++) {
  for (let sent = 0; sent < record.length; ) sent += write(fd, record.subarray(sent)); // normally one call sends it all
}
close(fd);
