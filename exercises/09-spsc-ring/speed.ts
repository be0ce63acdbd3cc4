// How fast your SpscRing streams values from one process to another, against the
// yardstick ring (AtomicsRing, in the shim: this exercise's ring on raw Atomics,
// with no checks). Each ring gets a producer process and a consumer process; the
// two rings run their rounds by turns, so that load on the machine hits both
// alike. The result is the better of two ratios, the median of the round-by-round
// ratios and the best rounds', since load only ever slows a round down; capped by
// the user CPU time each ring spends per value (producer and consumer together,
// read from /proc), since on a busy machine waits for a core stretch every round
// and a slow ring's wall-clock ratio creeps up towards 1, while its CPU time does
// not. Kernel time is left out: under load a notify more often finds the other side
// not yet running, and those futex calls are the machine's cost, not the ring's.
// The same figure the grader's speed points score (full from 30%, half from 15%).
//
// This file is also the four processes: startProcess runs it with argv
//   role ('producer' | 'consumer'), which ('yours' | 'yardstick'), segment name, count, rounds, capacity.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AtomicsRing, Segment, getpid, startProcess } from '@ipc-course/shim';
import { SpscRing } from './spsc-ring.ts';

// Cells of the control page: READY counts attached processes; per ring, GO holds the
// round to run and DONE the last round its consumer finished.
const READY = 0;
const GO = { yours: 1, yardstick: 2 };
const DONE = { yours: 3, yardstick: 4 };
// The yardstick's ring from byte 4096, yours on the pages after it.
const YARDSTICK_OFFSET = 4096;
const offsetOf = (which: Which, capacity: number) =>
  which === 'yardstick'
    ? YARDSTICK_OFFSET
    : YARDSTICK_OFFSET + Math.ceil(AtomicsRing.byteLength(capacity) / 4096) * 4096;
type Which = keyof typeof GO;

interface RingEnd {
  put(value: number): boolean;
  take(): number | undefined;
}

function attach(segment: Segment, which: Which, capacity: number): RingEnd {
  return which === 'yours'
    ? new SpscRing(segment, offsetOf('yours', capacity))
    : new AtomicsRing(segment, offsetOf('yardstick', capacity));
}

/** One of the four processes: attach, then run each round when GO says so. */
function runPeer(
  role: string,
  which: Which,
  name: string,
  count: number,
  rounds: number,
  capacity: number,
): void {
  const segment = Segment.open(name);
  const ring = attach(segment, which, capacity);
  segment.add(READY, 1);
  segment.notify(READY); // partner: the parent's wait for all four
  const awaitGo = (round: number) => {
    for (let go = segment.load(GO[which]); go < round; go = segment.load(GO[which]))
      segment.wait(GO[which], go);
  };
  for (let round = 1; round <= rounds; round++) {
    awaitGo(round);
    if (role === 'producer') {
      for (let i = 0; i < count; i++) ring.put(i);
      continue;
    }
    for (let i = 0; i < count; i++) {
      const value = ring.take();
      if (value !== i) throw new Error(`take number ${i} returned ${value} (one producer, FIFO)`);
    }
    segment.store(DONE[which], round);
    segment.notify(DONE[which]); // partner: the parent's waitAsync on DONE
  }
  awaitGo(rounds + 1); // the parent reads this process's CPU time after the last round
  segment.close();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const rate = (perSecond: number) => `${(perSecond / 1e6).toFixed(2)} M values/s`;

// /proc/<pid>/stat counts CPU time in ticks of 10 ms (USER_HZ is 100 on Linux).
const TICK_NS = 1e7;

/** The user-mode CPU ticks of a process so far: field 14 of /proc/<pid>/stat. */
function userTicks(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which sits in parentheses: state is field 3.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[11]);
  } catch {
    return Number.NaN;
  }
}

/** Values per second of your ring as a fraction of the yardstick's, and a line with the figures. */
export async function compareWithYardstick(
  count = 200_000,
  rounds = 5,
  capacity = 65_536, // as the grader's: a large ring, so a busy machine hides less of a ring's cost
): Promise<{ fraction: number; summary: string }> {
  const name = `ipcc-${getpid()}-speed`;
  const segment = Segment.create(name, offsetOf('yours', capacity) + SpscRing.byteLength(capacity));
  const children: ChildProcess[] = [];
  try {
    AtomicsRing.init(segment, offsetOf('yardstick', capacity), capacity);
    SpscRing.init(segment, offsetOf('yours', capacity), capacity);
    for (const which of ['yours', 'yardstick'] as const)
      for (const role of ['producer', 'consumer'])
        children.push(
          startProcess(import.meta.url, [
            role,
            which,
            name,
            String(count),
            String(rounds),
            String(capacity),
          ]),
        );
    const failed = () => children.some((c) => c.exitCode !== null && c.exitCode !== 0);
    const until = async (cell: number, value: number) => {
      const deadline = performance.now() + 60_000;
      for (let seen = segment.load(cell); seen < value; seen = segment.load(cell)) {
        if (failed()) throw new Error('a producer or consumer failed: see its output above');
        if (performance.now() > deadline)
          throw new Error('a round took over 60 s: does every put and take wake the other side?');
        await segment.waitAsync(cell, seen, 100);
      }
    };
    await until(READY, 4);
    const perSecond: Record<Which, number[]> = { yours: [], yardstick: [] };
    // children: your producer and consumer, then the yardstick's. Between rounds
    // they sleep, so their CPU time over all rounds is the rounds'.
    const pairTicks = (which: Which) =>
      children
        .slice(which === 'yours' ? 0 : 2, which === 'yours' ? 2 : 4)
        .reduce((sum, child) => sum + userTicks(child.pid), 0);
    const ticksBefore = { yours: pairTicks('yours'), yardstick: pairTicks('yardstick') };
    for (let round = 1; round <= rounds; round++) {
      for (const which of ['yardstick', 'yours'] as const) {
        const start = performance.now();
        segment.store(GO[which], round);
        segment.notify(GO[which]);
        await until(DONE[which], round);
        perSecond[which].push((count / (performance.now() - start)) * 1000);
      }
    }
    const cpuPerValue = {
      yours: ((pairTicks('yours') - ticksBefore.yours) * TICK_NS) / (count * rounds),
      yardstick: ((pairTicks('yardstick') - ticksBefore.yardstick) * TICK_NS) / (count * rounds),
    };
    for (const which of ['yardstick', 'yours'] as const) {
      segment.store(GO[which], rounds + 1); // the peers' last wait: they may exit now
      segment.notify(GO[which]);
    }
    const medians = [median(perSecond.yours), median(perSecond.yardstick)];
    const byRound = median(perSecond.yours.map((yours, i) => yours / perSecond.yardstick[i]));
    const bests = [Math.max(...perSecond.yours), Math.max(...perSecond.yardstick)];
    const wallFraction = Math.max(byRound, bests[0] / bests[1]);
    // Fewer than 20 ticks (0.2 s) on a side is too coarse to cap anything.
    const enoughTicks =
      Math.min(cpuPerValue.yours, cpuPerValue.yardstick) * count * rounds >= 20 * TICK_NS;
    const cpuFraction = enoughTicks ? cpuPerValue.yardstick / cpuPerValue.yours : Number.NaN;
    const fraction = Number.isNaN(cpuFraction) ? wallFraction : Math.min(wallFraction, cpuFraction);
    const ns = (perValue: number) => `${perValue.toFixed(0)} ns`;
    const summary =
      `${(fraction * 100).toFixed(0)}% of the yardstick ring's speed` +
      ` (round by round ${(byRound * 100).toFixed(0)}% in the median round; medians ${rate(medians[0])} against ${rate(medians[1])}, best rounds ${rate(bests[0])} against ${rate(bests[1])};` +
      ` user CPU time per value ${Number.isNaN(cpuFraction) ? 'unknown (too few ticks, or /proc could not be read)' : `${ns(cpuPerValue.yours)} against ${ns(cpuPerValue.yardstick)}, ${(cpuFraction * 100).toFixed(0)}%, which caps the figure`};` +
      ` ${rounds} rounds of ${count} values each, process to process, capacity ${capacity})`;
    return { fraction, summary };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    await Promise.all(children.map((c) => (c.exitCode === null ? once(c, 'exit') : null)));
    segment.close();
    Segment.unlink(name);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [role, which, name, count, rounds, capacity] = process.argv.slice(2);
  runPeer(role, which as Which, name, Number(count), Number(rounds), Number(capacity));
}
