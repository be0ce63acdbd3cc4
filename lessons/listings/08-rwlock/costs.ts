// Times an uncontended read lock + unlock (a compareExchange in, a sub out), the
// same in two workers at once on one cell, and ReadersFirstLock's read side,
// whose last reader out notifies (lessons/08-rwlock.md).
import type { Segment } from '@ipc-course/shim';
import { ReadersFirstLock } from './readers-first.ts';
import { team } from './team.ts';

const ROUNDS = 200_000;
const atomics = (segment: Segment) => {
  let count = segment.load(0);
  while (segment.compareExchange(0, count, count + 1) !== count) count = segment.load(0); // in
  segment.sub(0, 1); // out
};
const one = await team(import.meta.url, 'one', 1, ROUNDS, atomics);
const two = await team(import.meta.url, 'two', 2, ROUNDS, atomics);
const notifying = await team(import.meta.url, 'notifying', 1, ROUNDS / 10, (segment) => {
  const lock = new ReadersFirstLock(segment, 0);
  lock.readLock();
  lock.readUnlock(); // the count reaches 0: notify, though nobody sleeps
});
if (one && two && notifying) {
  const nanos = (ms: number, rounds: number) => Math.round((ms * 1e6) / rounds);
  console.log(`atomics of a read lock + unlock, one worker: ${nanos(one.ms, ROUNDS)} ns`);
  console.log(`the same, two workers on one cell:           ${nanos(two.ms, ROUNDS)} ns each`);
  console.log(
    `ReadersFirstLock, a notify at every 0:       ${nanos(notifying.ms, ROUNDS / 10)} ns`,
  );
}
