// Round trips for lesson 31: one 8-byte message to a child process and straight
// back, the median of many, with the child and this thread pinned to CPUs the
// caller chooses, so that the scheduler does not pick "same CPU" or "two CPUs"
// for us (the two differ tenfold). Start every echo first, then measure them one
// by one: start-up is most of the time, and the children may start together.
import { pinThread, threadCpus } from '@ipc-course/shim';
import { open, type Channel, type Way } from './channels.ts';

const WARM_UP = 50; // the first round trips include the child's start-up

/** A child that echoes `count` messages (after the warm-up), pinned to `peerCpu`. */
export interface Echo {
  channel: Channel;
  count: number;
}

export function startEcho(way: Way, peerCpu: number, count = 300): Echo {
  return { channel: open(way, 'echo', count + WARM_UP, peerCpu), count };
}

/** Median µs of the echo's round trips, this thread pinned to `selfCpu` meanwhile. */
export async function roundTripUs({ channel, count }: Echo, selfCpu: number): Promise<number> {
  const allowed = threadCpus();
  pinThread([selfCpu]);
  try {
    const micros: number[] = [];
    for (let i = 0; i < count + WARM_UP; i++) {
      const start = performance.now();
      channel.send();
      channel.receive();
      if (i >= WARM_UP) micros.push((performance.now() - start) * 1000);
    }
    return micros.sort((a, b) => a - b)[micros.length >> 1];
  } finally {
    pinThread(allowed);
    await channel.close();
  }
}

/** The first two CPUs this thread may use (the same one twice on a 1-CPU machine). */
export function twoCpus(): [number, number] {
  const [first, second = first] = threadCpus();
  return [first, second];
}
