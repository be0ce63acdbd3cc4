// The fast ring's tricks, one at a time (lessons/09-spsc-ring.md, "A fast ring"):
// nanoseconds for one put and one take on one thread, each line adding one trick
// to the line above. One thread shows what each trick saves in work; between two
// processes the saved loads of the other side's index also save cache misses.
//
// Cells: TAIL, HEAD (counted modulo 2C), PRODUCER_SLEEPS, CONSUMER_SLEEPS, slots.
import { Segment, getpid } from '@ipc-course/shim';

const TAIL = 0,
  HEAD = 1,
  PRODUCER_SLEEPS = 2,
  CONSUMER_SLEEPS = 3,
  SLOTS = 4,
  C = 64;

interface Tricks {
  flag: boolean; // notify only when the other side announced it may sleep
  lateClock: boolean; // read the clock only when about to sleep
  cached: boolean; // keep the other side's index until it says full or empty
  raw: boolean; // JS Atomics on the bytes, not the shim's checked cell operations
}

/** put and take with a timeout, as in exercise 09; they never need to sleep here. */
function ring(segment: Segment, tricks: Tricks) {
  const cells = new Int32Array(segment.bytes(0, 4096).buffer, 0, 1024);
  const load = tricks.raw ? (i: number) => Atomics.load(cells, i) : (i: number) => segment.load(i);
  const store = tricks.raw
    ? (i: number, v: number) => Atomics.store(cells, i, v)
    : (i: number, v: number) => segment.store(i, v);
  let seenHead = 0;
  let seenTail = 0;
  const used = (tail: number, head: number) => (tail - head + 2 * C) % (2 * C);
  return {
    put(value: number, timeoutMs = Infinity): boolean {
      const deadline = tricks.lateClock ? 0 : performance.now() + timeoutMs;
      const tail = load(TAIL);
      if (!tricks.cached || used(tail, seenHead) === C) seenHead = load(HEAD);
      if (used(tail, seenHead) === C) return deadline < 0; // full: put would sleep here
      store(SLOTS + (tail % C), value);
      store(TAIL, (tail + 1) % (2 * C));
      if (!tricks.flag || load(CONSUMER_SLEEPS)) segment.notify(TAIL, 1);
      return true;
    },
    take(timeoutMs = Infinity): number | undefined {
      const deadline = tricks.lateClock ? 0 : performance.now() + timeoutMs;
      const head = load(HEAD);
      if (!tricks.cached || head === seenTail) seenTail = load(TAIL);
      if (head === seenTail) return deadline < 0 ? 0 : undefined; // empty: take would sleep here
      const value = load(SLOTS + (head % C));
      store(HEAD, (head + 1) % (2 * C));
      if (!tricks.flag || load(PRODUCER_SLEEPS)) segment.notify(HEAD, 1);
      return value;
    },
  };
}

const steps: [string, Tricks][] = [
  ['notify after every put and take', { flag: false, lateClock: false, cached: false, raw: false }],
  [
    '+ notify only an announced sleeper',
    { flag: true, lateClock: false, cached: false, raw: false },
  ],
  ['+ read the clock only to sleep', { flag: true, lateClock: true, cached: false, raw: false }],
  ["+ cache the other side's index", { flag: true, lateClock: true, cached: true, raw: false }],
  ['+ raw Atomics (no shim checks)', { flag: true, lateClock: true, cached: true, raw: true }],
];

const segment = Segment.create(`ipcc-${getpid()}-tricks`, 4096);
try {
  for (const [label, tricks] of steps) {
    const { put, take } = ring(segment, tricks);
    const nanosEach = (times: number): number => {
      const start = performance.now();
      for (let i = 0; i < times; i += 32) {
        for (let j = 0; j < 32; j++) put(j);
        for (let j = 0; j < 32; j++) take();
      }
      return ((performance.now() - start) * 1e6) / times;
    };
    nanosEach(30_000); // warm up: let the JIT compile the loop first
    const times = tricks.flag ? 300_000 : 20_000; // a notify costs a system call
    console.log(
      `${label.padEnd(36)} ${Math.round(Math.min(nanosEach(times), nanosEach(times)))} ns`,
    );
  }
} finally {
  segment.close();
  Segment.unlink(segment.name);
}
