// The costs of lessons/10-bounded-buffer.md: one thread's tryPut + tryTake on
// the ring, the same under an uncontended lock, and the round trip of a value
// passed between two workers through two 1-slot rings (each pass a futex
// wake-up). The file runs again in each worker.
import { Segment, getpid } from '@ipc-course/shim';
import { inWorkers } from './workers.ts';
import { put, take, tryPut, tryTake } from './ring.ts';

const ROUND_TRIPS = 2_000;
const THERE = 0; // a ring of size 2 (one slot, one unused) at cells 0-3 ...
const BACK = 4; // ... and one at cells 4-7
const MICROS = 8; // worker 0 writes the time its round trips took

const cells = await inWorkers(import.meta.url, { workers: 2, cells: 9 }, (segment, me) => {
  const start = performance.now();
  for (let i = 0; i < ROUND_TRIPS; i++) {
    if (me === 0) put(segment, 2, i, THERE); // serve ...
    if (me === 1) put(segment, 2, take(segment, 2, THERE), BACK); // ... echo ...
    if (me === 0) take(segment, 2, BACK); // ... and receive
  }
  if (me === 0) segment.store(MICROS, Math.round((performance.now() - start) * 1000));
});
if (cells) {
  const LOCK = 12; // after a ring of size 8 at cells 0-9
  const segment = Segment.create(`ipcc-${getpid()}-costs`, 64);
  try {
    const nanosEach = (times: number, locked: boolean): number => {
      const start = performance.now();
      for (let i = 0; i < times; i++) {
        if (locked) while (segment.compareExchange(LOCK, 0, 1) !== 0); // never taken here
        tryPut(segment, 8, i);
        tryTake(segment, 8);
        if (locked) segment.exchange(LOCK, 0);
      }
      return Math.round(((performance.now() - start) * 1e6) / times);
    };
    nanosEach(200_000, true); // warm up: let the JIT compile the loop first
    console.log(`tryPut + tryTake, one thread:     ${nanosEach(1_000_000, false)} ns`);
    console.log(`the same under a lock:            ${nanosEach(1_000_000, true)} ns`);
    console.log(`round trip between two workers:   ${(cells[MICROS] / ROUND_TRIPS).toFixed(1)} µs`);
  } finally {
    segment.close();
    Segment.unlink(segment.name);
  }
}
