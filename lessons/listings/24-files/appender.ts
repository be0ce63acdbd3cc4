// A writer process of lessons/24-files.md: appends LINES lines of 32 bytes to
// one shared file, either with O_APPEND ("append") or by asking the file's
// size and writing there ("size-then-write"). It waits at a start line in a
// segment, so that every writer runs at the same time.
import { fstatSync, openSync, closeSync, writeSync } from 'node:fs';
import { Segment } from '@ipc-course/shim';
import { GO, LINES, READY } from './start-line.ts';

const [path, how, writer, segmentName] = process.argv.slice(2);
const segment = Segment.open(segmentName);
const fd = openSync(path, how === 'append' ? 'a' : 'r+'); // 'a' opens with O_APPEND
segment.add(READY, 1);
segment.notify(READY);
while (segment.load(GO) === 0) segment.wait(GO, 0);
for (let i = 0; i < LINES; i++) {
  const line = `writer ${writer} line ${String(i).padStart(5, '0')}`.padEnd(31) + '\n';
  if (how === 'append')
    writeSync(fd, line); // the kernel moves to the end and writes, in one step
  else writeSync(fd, line, fstatSync(fd).size); // two steps: another writer may write in between
}
closeSync(fd);
segment.close();
