// One of the two processes of lessons/17-deadlock.md's pipe deadlock. Usage:
//   pipe-peer.ts <segment name> <0|1> write-first|read-first <bytes>
// Reads the other process on fd 3 and writes to it on fd 4, `bytes` each way,
// in the order given. It reports its progress in cells of the segment, so that
// the parent can see where it is stuck: cell 4*who + WRITTEN, READ, DOING.
import { fileURLToPath } from 'node:url';
import { Segment, close, read, write } from '@ipc-course/shim';

export const WRITTEN = 0; // bytes written so far
export const READ = 1; // bytes read so far
export const DOING = 2; // one of:
export const [WRITING, READING, DONE] = [1, 2, 3];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // run as a process, not imported
  const [name, who, order, bytesText] = process.argv.slice(2);
  const bytes = Number(bytesText);
  const segment = Segment.open(name);
  const cell = (field: number) => 4 * Number(who) + field;
  const chunk = new Uint8Array(4096); // at most PIPE_BUF: each write goes in whole, or sleeps

  const writeAll = () => {
    segment.store(cell(DOING), WRITING);
    for (let left = bytes; left > 0; ) {
      const n = write(4, chunk.subarray(0, Math.min(chunk.length, left))); // sleeps while the pipe is full
      segment.add(cell(WRITTEN), n);
      left -= n;
    }
  };
  const readAll = () => {
    segment.store(cell(DOING), READING);
    for (let got = 0; got < bytes; ) {
      const n = read(3).length; // sleeps while the pipe is empty
      if (n === 0) break; // end of file: the other side closed
      segment.add(cell(READ), n);
      got += n;
    }
  };
  if (order === 'write-first') {
    writeAll();
    readAll();
  } else {
    readAll();
    writeAll();
  }
  segment.store(cell(DOING), DONE);
  close(3);
  close(4);
  segment.close();
}
