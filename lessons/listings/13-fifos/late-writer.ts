// A child process for lessons/13-fifos.md. Usage: late-writer.ts <fifo> <ms>
// Sleeps `ms` milliseconds, then opens the FIFO for writing and sends a line.
import { close, openFifo, write } from '@ipc-course/shim';

const [fifo, ms] = process.argv.slice(2);
await new Promise((resolve) => setTimeout(resolve, Number(ms)));
const fd = openFifo(fifo, 'w'); // a reader is already waiting: this returns at once
write(fd, new TextEncoder().encode(`hello from process ${process.pid}\n`));
close(fd);
