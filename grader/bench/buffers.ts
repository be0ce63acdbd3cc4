// npm run bench -- buffers: how fast the course's shared-memory buffers carry data
// from one process to another, against the kernel's and Node's channels measured in
// the same run (ratios, not absolute figures, are the result). Two parts:
//
//   small items   int32 values through the reference SpscRing and BoundedBuffer and
//                 the yardstick ring (native/atomics-ring.ts: the ring of 09
//                 on raw Atomics), against pipe(2), a Unix socket and a MessagePort
//                 with 8-byte messages (ipc.ts, peers in ipc/peer.ts)
//   byte streams  the reference ShmPipe against pipe(2), like for like: the same
//                 bytes in writes of the same size (buffers/shm-pipe.ts)
//   round trips   pinned, one CPU and two side by side: ring + futex, pipe, Unix
//                 socket (ipc.ts)
//   bulk data     a 16 MiB frame written in place in shared memory (an offset
//                 crosses) against the same bytes through a pipe and a socket
//
// A small-item subject is one file in buffers/ that exports `subject` (a Subject): it
// starts its own peer and is found without a list to edit (buffers/bounded-buffer.ts is
// the model). Subjects and baselines take turns, round after round, and each figure
// is the median of its rounds. The goals printed at the end are issue 15's.
import { readdirSync } from 'node:fs';
import { median } from '../../native/bench/measure.ts';
import { describeMachine } from '../../native/bench/machine.ts';
import {
  oneWayPerSecond,
  pipes,
  port,
  printBulk,
  printRoundTrips,
  ring as futexRing,
  unix,
  type Channel,
  type Mechanism,
} from './ipc.ts';
import { byteStreams } from './buffers/shm-pipe.ts';

export interface Subject {
  name: string;
  /** What one item is, said honestly: its size, and whatever shapes the figure (a capacity, a batch). */
  item: string;
  /** Items per run: a few tenths of a second at the subject's speed. */
  messages: number;
  /**
   * Starts the peer. send() puts one item; receive() gets the peer's start line, then its
   * reply once it has all `count`. A subject that batches flushes in receive().
   */
  open(count: number): Promise<Channel>;
}

const ROUNDS = 3;

const baseline = (mechanism: Mechanism, name: string, item = '8-byte messages'): Subject => ({
  name,
  item,
  messages: mechanism.messages,
  open: (count) => mechanism.open('oneway', count),
});

const baselines = [
  baseline(pipes, 'pipe(2)'),
  baseline(unix, 'Unix domain socket'),
  baseline(port, 'MessagePort (2 threads)', '8-byte Uint8Array messages'),
];

async function subjects(): Promise<Subject[]> {
  const folder = new URL('./buffers/', import.meta.url);
  const files = readdirSync(folder)
    .filter((file) => file.endsWith('.ts'))
    .sort();
  const modules = await Promise.all(
    files.map(async (file) => (await import(new URL(file, folder).href)) as { subject?: Subject }),
  );
  return modules.flatMap((module) => (module.subject ? [module.subject] : []));
}

/** Items per second of each subject: the median of ROUNDS rounds, taken by turns. */
async function rates(all: Subject[]): Promise<Map<Subject, number>> {
  const samples = new Map<Subject, number[]>(all.map((s) => [s, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const subject of all)
      samples.get(subject)!.push(await oneWayPerSecond(subject.open, subject.messages));
  }
  return new Map(all.map((s) => [s, median(samples.get(s)!)]));
}

function printTable(rows: string[][], leftColumns: number): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
        .join('  '),
    );
}

const named = (all: Subject[], prefix: string) => all.find((s) => s.name.startsWith(prefix))!;

export async function benchBuffers(): Promise<void> {
  console.log(describeMachine());
  const began = Date.now();
  const shared = await subjects();
  const all = [...shared, ...baselines];
  const rate = await rates(all);
  const pipeRate = rate.get(baselines[0])!;
  console.log(
    '\nsmall items, one way, one process to another (MessagePort: one thread to another)',
  );
  printTable(
    [
      ['mechanism', 'item', 'items/s', 'ns/item', 'x pipe(2)'],
      ...all.map((s) => [
        s.name,
        s.item,
        Math.round(rate.get(s)!).toLocaleString('en'),
        (1e9 / rate.get(s)!).toFixed(0),
        `${(rate.get(s)! / pipeRate).toFixed(2)}x`,
      ]),
    ],
    2,
  );

  const streams = byteStreams.flatMap((b) => [b.shmPipe, b.pipe]);
  const streamRate = await rates(streams);
  console.log('\nbyte streams, like for like: the same bytes in writes of the same size');
  printTable(
    [
      ['write size', 'ShmPipe MB/s', 'pipe(2) MB/s', 'ShmPipe / pipe(2)'],
      ...byteStreams.map(({ size, shmPipe, pipe }) => {
        const [shm, kernel] = [shmPipe, pipe].map((s) => (streamRate.get(s)! * size) / 1e6);
        return [`${size} B`, shm.toFixed(1), kernel.toFixed(1), `${(shm / kernel).toFixed(2)}x`];
      }),
    ],
    1,
  );

  const ring = rate.get(named(shared, 'SpscRing'))!;
  const yardstick = rate.get(named(shared, 'AtomicsRing'))!;
  const buffer = rate.get(named(shared, 'BoundedBuffer'))!;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(
    `\nmedians of ${ROUNDS} rounds, by turns; ${((Date.now() - began) / 1000).toFixed(1)} s in all. Goals:`,
  );
  console.log(
    `  SpscRing within 1.5x of the yardstick ring: ${(yardstick / ring).toFixed(2)}x the yardstick's time per value (${verdict(yardstick / ring <= 1.5)})`,
  );
  console.log(
    `  SpscRing at least 2x pipe(2), 3x the stretch: ${(ring / pipeRate).toFixed(2)}x (${verdict(ring / pipeRate >= 2)}${ring / pipeRate >= 3 ? ', stretch met' : ''})`,
  );
  console.log(
    `  BoundedBuffer at least 1x pipe(2): ${(buffer / pipeRate).toFixed(2)}x (${verdict(buffer / pipeRate >= 1)})`,
  );
  console.log('');
  await printRoundTrips([futexRing, pipes, unix]);
  console.log('');
  await printBulk();
  console.log(`\n${((Date.now() - began) / 1000).toFixed(1)} s in all. ${describeMachine()}`);
}
