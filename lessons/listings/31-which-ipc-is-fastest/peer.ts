// The other side of lesson 31's measurements: a child process started with
//   argv: way, test, count, cpu, ...names
//   way   'ring' (two AtomicsRings in a segment: to the peer, and back) or 'pipe' (fds 3 and 4)
//   test  'echo': send each value straight back, `count` times
//         'sink': answer the start line, take `count` values, then answer once more
//   cpu   the CPU to pin this process to, or -1 to leave it to the scheduler
import { AtomicsRing, Segment, pinThread, read, write } from '@ipc-course/shim';
import { FROM_PEER, TO_PEER } from './channels.ts';

const [way, test, countText, cpuText, name] = process.argv.slice(2);
const count = Number(countText);
if (Number(cpuText) >= 0) pinThread([Number(cpuText)]);

if (way === 'ring') {
  const segment = Segment.open(name);
  const toPeer = new AtomicsRing(segment, TO_PEER);
  const fromPeer = new AtomicsRing(segment, FROM_PEER);
  if (test === 'echo') {
    for (let i = 0; i < count; i++) fromPeer.put(toPeer.take());
  } else {
    fromPeer.put(toPeer.take()); // the start line
    for (let i = 0; i < count; i++) toPeer.take();
    fromPeer.put(count);
  }
  segment.close();
} else {
  const eight = new Uint8Array(8);
  const readExactly = (bytes: number) => {
    for (let got = 0; got < bytes; ) got += read(3, Math.min(65536, bytes - got)).length;
  };
  if (test === 'echo') {
    for (let i = 0; i < count; i++) {
      readExactly(8);
      write(4, eight);
    }
  } else {
    readExactly(8); // the start line
    write(4, eight);
    readExactly(8 * count); // a read takes whatever has arrived, many messages at once
    write(4, eight);
  }
}
