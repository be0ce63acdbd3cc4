// One producer and one consumer worker pass 20,000 values through the textbook
// ring of lessons/10-bounded-buffer.md, which needs no lock for them.
import { inWorkers } from './workers.ts';
import { put, take } from './ring.ts';

const SIZE = 8;
const COUNT = 20_000;
const OUT_OF_ORDER = 2 + SIZE; // the program's cells after the ring

const cells = await inWorkers(
  import.meta.url,
  { workers: 2, cells: OUT_OF_ORDER + 1 },
  (segment, me) => {
    if (me === 0) for (let i = 0; i < COUNT; i++) put(segment, SIZE, i);
    else
      for (let i = 0; i < COUNT; i++) if (take(segment, SIZE) !== i) segment.add(OUT_OF_ORDER, 1);
  },
);
if (cells)
  console.log(`1 producer, 1 consumer: ${COUNT} values, ${cells[OUT_OF_ORDER]} out of order`);
