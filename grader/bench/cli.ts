// npm run bench -- NAME: benchmarks print ratios against a baseline measured in
// the same run. They are not tests: nothing here passes or fails.
import { benchShim } from '../../native/bench/shim.ts';
import { benchGrade } from './grade.ts';
import { benchLinearizability } from '../harness/linearizability-bench.ts';
import { benchIpc } from './ipc.ts';
import { benchScheduler } from './scheduler.ts';
import { benchBuffers } from './buffers.ts';

const benches: Record<string, { about: string; run: () => Promise<void> }> = {
  shim: {
    about: 'Segment.add vs Atomics.add; futex vs pipe round trip across processes',
    run: benchShim,
  },
  grade: { about: 'wall time of grading solutions/ in full', run: benchGrade },
  ipc: {
    about:
      'round trip and 8-byte throughput: shm ring, pipe, mq, unix socket, MessagePort, child_process IPC',
    run: benchIpc,
  },
  scheduler: {
    about: 'controlled scheduling: scheduling points per second, against a futex round trip',
    run: benchScheduler,
  },
  buffers: {
    about:
      'shared-memory buffers (buffers/*.ts) vs pipe, unix socket, MessagePort: small items one way',
    run: benchBuffers,
  },
  linearizability: {
    about: 'checker time on correct queue histories of 100, 300 and 1000 operations',
    run: benchLinearizability,
  },
};

const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !benches[n])) {
  console.error(
    `Usage: npm run bench -- NAME...\n\n${Object.entries(benches)
      .map(([n, b]) => `  ${n.padEnd(8)} ${b.about}`)
      .join('\n')}`,
  );
  process.exit(names.length === 0 ? 0 : 2);
}
for (const name of names) {
  console.log(`== ${name}`);
  await benches[name].run();
}
