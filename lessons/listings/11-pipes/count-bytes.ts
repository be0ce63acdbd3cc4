// A child process for lessons/11-pipes.md: counts the bytes on fd 3 until end of file.
import { read } from '@ipc-course/shim';

let total = 0;
for (;;) {
  const bytes = read(3, 65536); // blocks while the pipe is empty and a writer is open
  if (bytes.length === 0) break; // end of file
  total += bytes.length;
}
console.log(total);
