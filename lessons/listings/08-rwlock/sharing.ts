// Four workers each read 25 times, 2 ms a read: first under a mutex (the lock's
// write side alone), then under its read side (lessons/08-rwlock.md).
import type { Segment } from '@ipc-course/shim';
import { ReadersFirstLock } from './readers-first.ts';
import { team } from './team.ts';

const LOCK = 0;
const INSIDE = 1; // readers inside now
const MOST = 2; // the most readers seen inside at once
const NAP = 3; // nobody changes it: waiting on it is a plain sleep
const WORKERS = 4;
const READS = 25;

function read(segment: Segment): void {
  const inside = segment.add(INSIDE, 1) + 1;
  let most = segment.load(MOST);
  while (inside > most && segment.compareExchange(MOST, most, inside) !== most)
    most = segment.load(MOST);
  segment.wait(NAP, 0, 2); // the read itself: 2 ms
  segment.sub(INSIDE, 1);
}

const mutex = await team(import.meta.url, 'mutex', WORKERS, READS, (segment) => {
  const lock = new ReadersFirstLock(segment, LOCK);
  lock.writeLock(); // one at a time, as under a mutex
  read(segment);
  lock.writeUnlock();
});
const shared = await team(import.meta.url, 'shared', WORKERS, READS, (segment) => {
  const lock = new ReadersFirstLock(segment, LOCK);
  lock.readLock(); // together
  read(segment);
  lock.readUnlock();
});
if (mutex && shared) {
  console.log(`${WORKERS} workers, ${READS} reads of 2 ms each`);
  console.log(`under a mutex:     ${mutex.ms.toFixed(0)} ms, at most ${mutex.cells[MOST]} inside`);
  console.log(
    `under a read lock: ${shared.ms.toFixed(0)} ms, at most ${shared.cells[MOST]} inside`,
  );
}
