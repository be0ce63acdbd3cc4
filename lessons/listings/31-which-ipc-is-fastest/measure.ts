// Measure your own (lessons/31-which-ipc-is-fastest.md): the three shapes of
// traffic on this machine, in about half a minute on an idle 2-CPU machine.
//   node --import ./native/runtime/register.mjs lessons/listings/31-which-ipc-is-fastest/measure.ts
import { describeMachine } from '../../../native/bench/machine.ts';
import { FRAME, measureBulk } from './bulk.ts';
import { roundTripUs, startEcho, twoCpus } from './round-trips.ts';
import { messagesPerSecond } from './streams.ts';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const ROUNDS = 3;

console.log(describeMachine());

console.log('\n1. A stream of small messages, one way (median of 3 runs each):');
const rates = { ring: [] as number[], pipe: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  rates.ring.push(await messagesPerSecond('ring', 1_000_000));
  rates.pipe.push(await messagesPerSecond('pipe', 200_000));
}
const [ring, pipe] = [median(rates.ring), median(rates.pipe)];
console.log(
  `  ring in shared memory (int32 values): ${(ring / 1e6).toFixed(2)} M/s, ${(1e9 / ring).toFixed(0)} ns each`,
);
console.log(
  `  pipe(2), 8-byte writes:               ${(pipe / 1e6).toFixed(2)} M/s, ${(1e9 / pipe).toFixed(0)} ns each`,
);
console.log(`  the ring carries ${(ring / pipe).toFixed(1)}x as many`);

console.log('\n2. A round trip, 8 bytes there and back (median of 400), both sides pinned:');
const [first, second] = twoCpus();
for (const way of ['ring', 'pipe'] as const) {
  const one = await roundTripUs(startEcho(way, first, 400), first);
  const two = await roundTripUs(startEcho(way, second, 400), first);
  const label = way === 'ring' ? 'ring + futex' : 'pipe(2)';
  console.log(
    `  ${label.padEnd(13)} one CPU ${one.toFixed(1).padStart(6)} µs   two CPUs ${two.toFixed(1).padStart(6)} µs`,
  );
}

console.log(`\n3. Bulk data: frames of ${FRAME >> 20} MiB, every byte written and checked:`);
const bulk = await measureBulk(8);
for (const { way, gbPerSecond } of bulk)
  console.log(
    `  ${way.padEnd(44)} ${gbPerSecond.toFixed(2)} GB/s (${(bulk[0].gbPerSecond / gbPerSecond).toFixed(1)}x slower than in place)`,
  );
