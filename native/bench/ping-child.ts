// The echo side of the shim benchmark's round trips, in a child process.
//   futex <segment> <rounds>: wait for cell 0 to become odd, make it even again, notify.
//   pipe <readFd> <writeFd> <rounds>: read one byte, write it back.
import { Segment, read, write } from '@ipc-course/shim';

const [mode, ...args] = process.argv.slice(2);
if (mode === 'futex') {
  const segment = Segment.open(args[0]);
  const rounds = Number(args[1]);
  for (let i = 0; i < rounds; i++) {
    const ping = 2 * i + 1;
    while (segment.load(0) !== ping) segment.wait(0, 2 * i);
    segment.store(0, ping + 1);
    segment.notify(0);
  }
} else {
  const [readFd, writeFd, rounds] = args.map(Number);
  for (let i = 0; i < rounds; i++) write(writeFd, read(readFd, 1));
}
