// A child process for lessons/11-pipes.md: reads fd 3, writes every byte back
// to fd 4, until end of file on fd 3. The parent passes the two pipe ends.
import { close, read, write } from '@ipc-course/shim';

const IN = 3;
const OUT = 4;
for (;;) {
  const bytes = read(IN, 65536);
  if (bytes.length === 0) break; // end of file: every writer has closed
  write(OUT, bytes);
}
close(OUT); // the parent's read on the other pipe now returns end of file
