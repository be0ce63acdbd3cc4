// Two producers share the textbook ring of lessons/10-bounded-buffer.md, and nobody
// takes: each lost value is one that the other producer overwrote.
import { inWorkers } from './workers.ts';
import { IN, tryPut } from './ring.ts';

const EACH = 20_000;
const SIZE = 2 * EACH + 1; // room for every value: the ring never fills

for (let attempt = 1; attempt <= 5; attempt++) {
  const cells = await inWorkers(import.meta.url, { workers: 2, cells: 2 + SIZE }, (segment, me) => {
    for (let i = 0; i < EACH; i++) tryPut(segment, SIZE, me * EACH + i + 1);
  });
  if (!cells) break; // a worker: done
  const held = new Set(cells.slice(2, 2 + cells[IN]));
  const lost = 2 * EACH - held.size;
  if (lost > 0 || attempt === 5) {
    console.log(
      `2 producers put ${2 * EACH} values: the ring holds ${held.size} different ones, ${lost} lost`,
    );
    if (lost > 0) process.exitCode = 1;
    break;
  }
}
