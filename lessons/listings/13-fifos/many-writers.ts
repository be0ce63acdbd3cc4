// Several writer processes write records into one FIFO; the reader collects
// everything, cuts it into records, and counts the records that hold more than
// one letter: torn ones (lessons/13-fifos.md).
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { close, mkfifo, openFifo, read, startProcess } from '@ipc-course/shim';

const writerUrl = new URL('./writer.ts', import.meta.url);
const LETTERS = ['A', 'B', 'C', 'D'];
const dir = mkdtempSync(path.join(tmpdir(), 'ipcc-fifo-'));

async function tornRecords(size: number, count: number): Promise<number> {
  const fifo = path.join(dir, `records-${size}`);
  mkfifo(fifo);
  const writers = LETTERS.map((letter) =>
    startProcess(writerUrl, [fifo, letter, String(count), String(size)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const ready = Promise.all(writers.map((writer) => once(writer.stdout!, 'data')));
  const exited = Promise.all(writers.map((writer) => once(writer, 'exit'))); // listen now: one may exit early
  const fd = openFifo(fifo, 'r'); // blocks until the first writer opens the FIFO
  await ready; // all four have it open; they fill the FIFO and wait, so they compete from the start
  const data = new Uint8Array(LETTERS.length * count * size);
  for (let got = 0; got < data.length; ) {
    const bytes = read(fd, 65536);
    if (bytes.length === 0) throw new Error('end of file early: a writer failed');
    data.set(bytes, got);
    got += bytes.length;
  }
  close(fd);
  await exited;
  let torn = 0; // records whose bytes are not all the same letter
  for (let start = 0; start < data.length; start += size) {
    const record = data.subarray(start, start + size);
    if (record.some((byte) => byte !== record[0])) torn += 1;
  }
  return torn;
}

try {
  console.log(`4 writers x 200 records of   4096 bytes: ${await tornRecords(4096, 200)} torn`);
  console.log(`4 writers x  60 records of 100000 bytes: ${await tornRecords(100_000, 60)} torn`);
} finally {
  rmSync(dir, { recursive: true });
}
