// 10,000 rounds of the sense-reversing barrier in two workers, waiting in the
// futex and then spinning: the time per round and the CPU the workers used
// (lessons/07-barrier.md).
import { yieldThread } from '@ipc-course/shim';
import { inWorkers } from './workers.ts';

const PARTIES = 2;
const ROUNDS = 10_000;
const COUNT = 0;
const SENSE = 1;

for (const how of ['sleeps', 'spins'] as const) {
  const result = await inWorkers(import.meta.url, PARTIES, (segment) => {
    let sense = 0;
    for (let round = 0; round < ROUNDS; round++) {
      sense = 1 - sense;
      if (segment.add(COUNT, 1) + 1 === PARTIES) {
        segment.store(COUNT, 0);
        segment.store(SENSE, sense);
        if (how === 'sleeps') segment.notify(SENSE); // a system call, every round
      } else if (how === 'sleeps') {
        while (segment.load(SENSE) !== sense) segment.wait(SENSE, 1 - sense);
      } else {
        while (segment.load(SENSE) !== sense) yieldThread(); // give the CPU away, stay runnable
      }
    }
  });
  if (result) {
    const microsPerRound = ((result.ms * 1000) / ROUNDS).toFixed(1);
    console.log(
      `a barrier that ${how}: ${microsPerRound} µs a round, ${Math.round(result.cpuMs)} ms of CPU in ${Math.round(result.ms)} ms`,
    );
  }
}
