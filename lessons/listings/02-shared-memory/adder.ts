// A child process for lessons/02-shared-memory.md. Usage:
//   adder.ts <segment name> <times> add|racy
// Opens the segment, waits until its partner has started too, then adds 1 to
// cell 0 `times` times: with one atomic `add`, or ("racy") with a load and a store.
import { Segment } from '@ipc-course/shim';

const COUNTER = 0;
const STARTED = 1; // how many adders have started

const [name, times, how] = process.argv.slice(2);
const segment = Segment.open(name);

// Start together: the second to arrive wakes the first (lesson 04 explains wait and notify).
if (segment.add(STARTED, 1) === 1) segment.notify(STARTED);
while (segment.load(STARTED) < 2) segment.wait(STARTED, 1);

for (let i = 0; i < Number(times); i++) {
  if (how === 'add') {
    segment.add(COUNTER, 1); // read, add and write in one atomic step
  } else {
    segment.store(COUNTER, segment.load(COUNTER) + 1); // two steps: the partner may write in between
  }
}
segment.close();
