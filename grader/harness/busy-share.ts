// What a busy thread gets of a CPU right now: the yardstick for "no CPU burnt"
// tests on a loaded machine. A blocked call that spins uses about what a busy
// thread gets; on 2 CPUs at load average 40 that is 5% or less, so a fixed "under
// 5% of the wall time" alone cannot tell a spinner from a sleeper there.
// spinShare runs as one more worker beside the calls under test (a process would
// start too slowly on a loaded machine): once `flag` reaches `count` (the calls are
// blocked), it spins for `ms` and reports the CPU time it got. cpuShare compares a
// call's CPU use with it. It adds to the fixed 5% check, never replaces it: a
// submission that forged the busy thread's figure would only be back to that check.
import { Segment } from '@ipc-course/shim';
import { threadCpuMs } from './cpu.ts';

export interface SpinShareArgs {
  segment: string;
  flag: number;
  count: number;
  ms: number;
}

export interface CpuUse {
  cpuMs: number;
  wallMs: number;
}

export async function spinShare(args: SpinShareArgs): Promise<CpuUse & { spins: number }> {
  const segment = Segment.open(args.segment);
  try {
    for (let seen = segment.load(args.flag); seen < args.count; seen = segment.load(args.flag))
      segment.wait(args.flag, seen, 100);
    const wallStart = performance.now();
    const cpuStart = threadCpuMs();
    let spins = 0;
    while (performance.now() - wallStart < args.ms) spins++;
    return { cpuMs: threadCpuMs() - cpuStart, wallMs: performance.now() - wallStart, spins };
  } finally {
    segment.close();
  }
}

/** A call's CPU use as a fraction of what the busy thread got over the same kind of time: about 1 for a spinner, about 0 for a sleeper. */
export function cpuShare(call: CpuUse, busy: CpuUse): number {
  const busyShare = Math.max(busy.cpuMs / busy.wallMs, 1e-3);
  return call.cpuMs / call.wallMs / busyShare;
}
