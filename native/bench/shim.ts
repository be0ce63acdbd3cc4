// npm run bench -- shim: what the shim costs, against baselines measured in the same run.
//   1. ns per Segment.add vs JS Atomics.add on a plain SharedArrayBuffer;
//   2. a cross-process futex ping-pong round trip vs a pipe round trip.
// Figures from the course machine, and why round trips differ so: lesson 31.
import { once } from 'node:events';
import { Segment, close, pipe, read, startProcess, write } from '@ipc-course/shim';
import { median, nsPerOp, table } from './measure.ts';

const child = new URL('./ping-child.ts', import.meta.url);
const ROUNDS = 2000;

function atomicsCost(): { shimNs: number; jsNs: number } {
  const name = `ipcc-${process.pid}-bench-add`;
  const segment = Segment.create(name, 64);
  try {
    const view = new Int32Array(new SharedArrayBuffer(64));
    const shimNs = nsPerOp(7, 2_000_000, (n) => {
      for (let i = 0; i < n; i++) segment.add(0, 1);
    });
    const jsNs = nsPerOp(7, 2_000_000, (n) => {
      for (let i = 0; i < n; i++) Atomics.add(view, 0, 1);
    });
    return { shimNs, jsNs };
  } finally {
    Segment.unlink(name);
  }
}

export async function futexRoundTripUs(): Promise<number> {
  const name = `ipcc-${process.pid}-bench-futex`;
  const segment = Segment.create(name, 64);
  try {
    const echo = startProcess(child, ['futex', name, String(ROUNDS)]);
    const samples: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const start = process.hrtime.bigint();
      segment.store(0, 2 * i + 1);
      segment.notify(0);
      while (segment.load(0) !== 2 * i + 2) segment.wait(0, 2 * i + 1);
      samples.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    await once(echo, 'exit');
    return median(samples.slice(100)); // the first rounds include the child's start-up
  } finally {
    Segment.unlink(name);
  }
}

async function pipeRoundTripUs(): Promise<number> {
  const [toChildRead, toChildWrite] = pipe();
  const [fromChildRead, fromChildWrite] = pipe();
  const echo = startProcess(child, ['pipe', '3', '4', String(ROUNDS)], {
    stdio: ['ignore', 'inherit', 'inherit', toChildRead, fromChildWrite],
  });
  close(toChildRead);
  close(fromChildWrite);
  const byte = new Uint8Array([42]);
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    write(toChildWrite, byte);
    read(fromChildRead, 1);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  await once(echo, 'exit');
  close(toChildWrite);
  close(fromChildRead);
  return median(samples.slice(100));
}

export async function benchShim(): Promise<void> {
  const { shimNs, jsNs } = atomicsCost();
  const futexUs = await futexRoundTripUs();
  const pipeUs = await pipeRoundTripUs();
  console.log(
    table([
      ['measure', 'value', 'ratio (same run)'],
      ['Segment.add', `${shimNs.toFixed(1)} ns`, `${(shimNs / jsNs).toFixed(2)}x Atomics.add`],
      ['Atomics.add on a SharedArrayBuffer', `${jsNs.toFixed(1)} ns`, '1.00x (baseline)'],
      [
        'futex ping-pong round trip, 2 processes',
        `${futexUs.toFixed(1)} us`,
        `${(futexUs / pipeUs).toFixed(2)}x pipe`,
      ],
      ['pipe ping-pong round trip, 2 processes', `${pipeUs.toFixed(1)} us`, '1.00x (baseline)'],
    ]),
  );
  console.log(
    `\nmedians of ${ROUNDS - 100} round trips; unpinned round trips are bimodal (~5 us on one CPU, ~50 us across two): see lessons/31-which-ipc-is-fastest.md`,
  );
}
