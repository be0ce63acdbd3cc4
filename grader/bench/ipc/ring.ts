// A single-producer single-consumer ring of 8-byte messages in a shared
// segment, for `npm run bench -- ipc`. When the ring is empty (consumer) or
// full (producer), a side polls a little, then raises its SLEEPING flag and
// sleeps in a futex wait; the other side notifies only when that flag is up,
// so a busy ring makes no system calls.
//
// Cells:  0 TAIL  messages written (only the producer stores it)
//         1 HEAD  messages read    (only the consumer stores it)
//         2 CONSUMER_SLEEPING, 3 PRODUCER_SLEEPING   1 while that side may be asleep
//         4 + 2*slot, 5 + 2*slot   the message: two 32-bit halves
// Invariant: 0 <= TAIL - HEAD <= CAPACITY.
// No lost wake-up: a sleeper stores its flag, then re-checks the index inside
// wait(); the other side stores the index, then loads the flag (all seq-cst),
// so at least one of them sees the other's store.
import { Segment } from '@ipc-course/shim';

const TAIL = 0;
const HEAD = 1;
const CONSUMER_SLEEPING = 2;
const PRODUCER_SLEEPING = 3;
const SLOTS = 4;
const POLLS = 100;
export const CAPACITY = 256;
export const RING_BYTES = 4 * (SLOTS + 2 * CAPACITY);

/** Waits until `ready()`: polls, then sleeps on `cell` while it holds `notReady` (the value that means not ready). */
function waitUntil(
  ring: Segment,
  ready: () => boolean,
  cell: number,
  notReady: number,
  flag: number,
): void {
  for (let i = 0; i < POLLS; i++) if (ready()) return;
  while (!ready()) {
    ring.store(flag, 1); // announce ...
    if (!ready()) ring.wait(cell, notReady); // ... re-check, sleep (wait re-checks the cell too)
    ring.store(flag, 0);
  }
}

export function put(ring: Segment, low: number, high: number): void {
  const tail = ring.load(TAIL);
  waitUntil(
    ring,
    () => tail - ring.load(HEAD) < CAPACITY,
    HEAD,
    tail - CAPACITY,
    PRODUCER_SLEEPING,
  );
  const slot = SLOTS + 2 * (tail % CAPACITY);
  ring.store(slot, low);
  ring.store(slot + 1, high);
  ring.store(TAIL, tail + 1); // publish after the message
  if (ring.load(CONSUMER_SLEEPING) === 1) ring.notify(TAIL, 1);
}

export function take(ring: Segment): number {
  const head = ring.load(HEAD);
  waitUntil(ring, () => ring.load(TAIL) !== head, TAIL, head, CONSUMER_SLEEPING);
  const slot = SLOTS + 2 * (head % CAPACITY);
  const low = ring.load(slot);
  ring.load(slot + 1);
  ring.store(HEAD, head + 1); // the slot is free again
  if (ring.load(PRODUCER_SLEEPING) === 1) ring.notify(HEAD, 1);
  return low;
}
