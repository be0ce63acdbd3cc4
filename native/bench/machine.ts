// One line saying what a benchmark ran on: its figures mean little without it.
// CPU model and count from Node; "virtualised" from the `hypervisor` CPU flag,
// which Linux shows in /proc/cpuinfo when it runs as a guest (KVM, Xen, Hyper-V, ...);
// the load average, since a figure taken on a busy machine is a busy machine's figure.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release } from 'node:os';

function isVirtualised(): boolean | null {
  try {
    return /^flags\s*:.*\bhypervisor\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return null; // no /proc: say nothing rather than guess
  }
}

export function describeMachine(): string {
  const model = cpus()[0]?.model.trim() || 'unknown CPU';
  const virtual = isVirtualised();
  const kind =
    virtual === null ? '' : virtual ? ', virtual machine' : ', bare metal (no hypervisor flag)';
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  return `machine: ${model}, ${availableParallelism()} CPUs usable${kind}; Linux ${release()}, Node ${process.version}; load average ${load} (1, 5, 15 min)${loadavg()[0] > availableParallelism() / 2 ? ": a loaded machine, figures are a loaded machine's" : ''}`;
}
