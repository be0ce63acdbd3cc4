// Round trips for lesson 17: one 8-byte message to a child process and straight
// back, the median of many, with this thread and the child pinned to CPUs the
// caller chooses, so that the scheduler does not pick "same CPU" or "two CPUs"
// for us (the two differ tenfold).
import { pinThread, threadCpus } from '@ipc-course/shim';
import { open, type Way } from './channels.ts';

const WARM_UP = 50; // the first round trips include the child's start-up

/** Median µs of `count` round trips through `way`, this thread on `selfCpu`, the child on `peerCpu`. */
export async function roundTripUs(
  way: Way,
  selfCpu: number,
  peerCpu: number,
  count = 400,
): Promise<number> {
  const allowed = threadCpus();
  pinThread([selfCpu]);
  try {
    const channel = open(way, 'echo', count + WARM_UP, peerCpu);
    const micros: number[] = [];
    for (let i = 0; i < count + WARM_UP; i++) {
      const start = performance.now();
      channel.send();
      channel.receive();
      if (i >= WARM_UP) micros.push((performance.now() - start) * 1000);
    }
    await channel.close();
    return micros.sort((a, b) => a - b)[micros.length >> 1];
  } finally {
    pinThread(allowed);
  }
}

/** The first two CPUs this thread may use (the same one twice on a 1-CPU machine). */
export function twoCpus(): [number, number] {
  const [first, second = first] = threadCpus();
  return [first, second];
}
