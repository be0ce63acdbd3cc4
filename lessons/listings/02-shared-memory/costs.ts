// Times one atomic add on a process's own SharedArrayBuffer, on a shared
// segment, and a racy load + store: lessons/02-shared-memory.md.
import { Segment, getpid } from '@ipc-course/shim';

const segment = Segment.create(`ipcc-${getpid()}-costs`, 4);
const cells = new Int32Array(new SharedArrayBuffer(4)); // memory of this process only
try {
  const nanosEach = (times: number, step: () => void): number => {
    const start = performance.now();
    for (let i = 0; i < times; i++) step();
    return Math.round(((performance.now() - start) * 1e6) / times);
  };
  console.log(
    `Atomics.add on a SharedArrayBuffer: ${nanosEach(5_000_000, () => Atomics.add(cells, 0, 1))} ns`,
  );
  console.log(
    `segment.add:                        ${nanosEach(5_000_000, () => segment.add(0, 1))} ns`,
  );
  console.log(
    `segment.load + segment.store:       ${nanosEach(5_000_000, () => segment.store(0, segment.load(0) + 1))} ns`,
  );
} finally {
  segment.close();
  Segment.unlink(segment.name);
}
