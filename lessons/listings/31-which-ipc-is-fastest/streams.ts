// One-way streams for lesson 31: `count` small messages to a child process, which
// answers once it has them all. The clock runs from the first message to that answer.
import { open, type Way } from './channels.ts';

/** Messages per second through `way`, neither side pinned. */
export async function messagesPerSecond(way: Way, count: number): Promise<number> {
  const channel = open(way, 'sink', count);
  channel.send(); // the start line: the child is up once it comes back
  channel.receive();
  const start = performance.now();
  for (let i = 0; i < count; i++) channel.send();
  channel.receive();
  const seconds = (performance.now() - start) / 1000;
  await channel.close();
  return count / seconds;
}
