// pipePair: two processes, A and B, joined by two pipes (A→B and B→A), each
// sending `bytes` to the other in the order the program gives, for
// lessons/17-deadlock.md. The parent is a watchdog: it polls the peers'
// progress cells every 100 ms. If both are in `write` and nothing moved for
// 500 ms, it reports where each one sleeps, kills both, and returns false.
// Every wait is bounded: after 15 s it kills them too.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { Segment, close, getpid, pipe, startProcess } from '@ipc-course/shim';
import { DOING, DONE, READ, WRITING, WRITTEN } from './pipe-peer.ts';

export type Order = 'write-first' | 'read-first';
const peer = new URL('./pipe-peer.ts', import.meta.url);
const NAMES = ['A', 'B'];
const DOINGS = ['starting', 'in write', 'in read', 'done'];

/** The kernel's view of a process: its state letter in /proc/PID/stat (S: asleep). */
function kernelState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
  return state === 'S' ? 'S (sleeping)' : state;
}

/** True if both finished; false if the watchdog found them stuck and killed them. */
export async function pipePair(orders: [Order, Order], bytes = 100_000): Promise<boolean> {
  const segment = Segment.create(`ipcc-${getpid()}-pipe-pair`, 32);
  const peers: ChildProcess[] = [];
  try {
    const [aToB, bToA] = [pipe(), pipe()]; // [readFd, writeFd] each
    const fds = [
      [bToA[0], aToB[1]],
      [aToB[0], bToA[1]],
    ]; // each peer's fd 3 (read) and fd 4 (write)
    for (const who of [0, 1]) {
      const args = [segment.name, String(who), orders[who], String(bytes)];
      peers.push(
        startProcess(peer, args, { stdio: ['ignore', 'inherit', 'inherit', ...fds[who]] }),
      );
    }
    for (const fd of [...aToB, ...bToA]) close(fd); // the peers hold their own copies
    const cells = () => [0, 1, 2, 4, 5, 6].map((i) => segment.load(i)).join(',');
    const done = () => [0, 1].every((who) => segment.load(4 * who + DOING) === DONE);
    const bothWriting = () => [0, 1].every((who) => segment.load(4 * who + DOING) === WRITING);
    let [last, stillFor] = ['', 0];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !done()) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stillFor = cells() === last && bothWriting() ? stillFor + 100 : 0;
      last = cells();
      if (stillFor < 500) continue;
      console.log('no progress for 500 ms; where each process is:');
      for (const who of [0, 1]) {
        const at = (field: number) => segment.load(4 * who + field);
        console.log(
          `  ${NAMES[who]} (pid ${peers[who].pid}): ${DOINGS[at(DOING)]}, ${at(WRITTEN)} of ${bytes} bytes written, ` +
            `${at(READ)} read; kernel state ${kernelState(peers[who].pid!)}`,
        );
      }
      console.log('each waits for the other to read: A → B → A. Killing both.');
      break;
    }
    if (!done()) {
      for (const child of peers) child.kill('SIGKILL');
      await Promise.all(
        peers.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)),
      );
      return false;
    }
    await Promise.all(
      peers.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)),
    );
    console.log(
      `both finished: A read ${segment.load(READ)} bytes, B read ${segment.load(4 + READ)} bytes`,
    );
    return true;
  } finally {
    for (const child of peers)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    segment.close();
    Segment.unlink(segment.name);
  }
}
