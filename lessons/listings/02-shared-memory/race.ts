// Starts two adder processes on one segment and reads their total, first with
// an atomic add, then with a load and a store: lessons/02-shared-memory.md.
import { once } from 'node:events';
import { Segment, getpid, startProcess } from '@ipc-course/shim';

const adder = new URL('./adder.ts', import.meta.url);
const TIMES = 1_000_000;

async function race(how: 'add' | 'racy'): Promise<number> {
  const segment = Segment.create(`ipcc-${getpid()}-${how}`, 8);
  try {
    const children = [1, 2].map(() => startProcess(adder, [segment.name, String(TIMES), how]));
    const exits = await Promise.all(children.map((child) => once(child, 'exit')));
    if (exits.some(([code]) => code !== 0)) throw new Error('an adder failed');
    return segment.load(0);
  } finally {
    segment.close();
    Segment.unlink(segment.name);
  }
}

console.log(`add:          ${await race('add')} of ${2 * TIMES}`);
console.log(`load + store: ${await race('racy')} of ${2 * TIMES}`);
