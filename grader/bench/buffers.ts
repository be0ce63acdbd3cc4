// npm run bench -- buffers: how many small items per second a shared-memory
// buffer carries from one process to another, against the kernel's and Node's
// channels measured in the same run (ratios, not absolute figures, are the result).
//
// A subject is one file in buffers/ that exports `subject` (a Subject): it
// starts its own peer and is found by this file without a list to edit
// (buffers/bounded-buffer.ts is the model; spsc-ring.ts and shm-pipe.ts, whose
// 8-byte items go in 4 KiB writes, sit beside it). The
// baselines are `npm run bench -- ipc`'s pipe, Unix socket and MessagePort with
// 8-byte messages (ipc.ts, peers in ipc/peer.ts). Subjects and baselines take
// turns, round after round, and each figure is the median of its rounds.
import { readdirSync } from 'node:fs';
import { median } from '../../native/bench/measure.ts';
import { oneWayPerSecond, pipes, port, unix, type Channel, type Mechanism } from './ipc.ts';

export interface Subject {
  name: string;
  /** What one item is, said honestly: its size, and whatever shapes the figure (a capacity, a batch). */
  item: string;
  /** Items per run: a few tenths of a second at the subject's speed. */
  messages: number;
  /**
   * Starts the peer. send() puts one item; receive() gets the peer's start line, then its
   * reply once it has all `count`. A subject that batches (4 KiB writes) flushes in receive().
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
  return Promise.all(
    files.map(
      async (file) => ((await import(new URL(file, folder).href)) as { subject: Subject }).subject,
    ),
  );
}

export async function benchBuffers(): Promise<void> {
  const shared = await subjects();
  const all = [...shared, ...baselines];
  const samples = new Map<Subject, number[]>(all.map((s) => [s, []]));
  const began = Date.now();
  for (let round = 0; round < ROUNDS; round++) {
    for (const subject of all)
      samples.get(subject)!.push(await oneWayPerSecond(subject.open, subject.messages));
  }
  const rate = new Map(all.map((s) => [s, median(samples.get(s)!)]));
  const pipeRate = rate.get(baselines[0])!;
  const portRate = rate.get(baselines[2])!;
  const rows = [
    ['mechanism', 'item', 'items/s', 'ns/item', 'x pipe(2)'],
    ...all.map((s) => [
      s.name,
      s.item,
      Math.round(rate.get(s)!).toLocaleString('en'),
      (1e9 / rate.get(s)!).toFixed(0),
      `${(rate.get(s)! / pipeRate).toFixed(2)}x`,
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows)
    console.log(
      row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
    );
  console.log(
    `\none way, one process to another (MessagePort: one thread to another); median of ${ROUNDS} rounds; ${((Date.now() - began) / 1000).toFixed(1)} s in all.`,
  );
  for (const s of shared) {
    console.log(
      `${s.name}: ${(rate.get(s)! / pipeRate).toFixed(1)}x pipe(2), ${(rate.get(s)! / portRate).toFixed(1)}x MessagePort (the goal: 5x and 10x).`,
    );
  }
}
