// npm run bench -- grade: wall time of grading solutions/ in full, per
// exercise and in total, with the sandbox on (every layer this host offers)
// and off (only the always-on rules), same seed. Issue 14's goal: a full grade
// in at most 20 s on 2 cores; the sandbox may cost at most 15% of it.
import { loadavg } from 'node:os';
import { gradeSubmission } from '../src/grade.ts';
import { repoRoot } from '../src/registry.ts';
import type { GradeReport } from '../src/report.ts';
import type { SandboxMode } from '../src/sandbox-modes.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timedGrade(sandbox: SandboxMode, seed: number): Promise<GradeReport> {
  // gradeSubmission reports "grading <id>" as each exercise starts: the gaps are each one's wall time.
  const starts: { id: string; at: number }[] = [];
  const begun = performance.now();
  const report = await gradeSubmission(`${repoRoot}solutions`, {
    sandbox,
    seed,
    onProgress: (message) => {
      const id = /^grading (\S+)$/.exec(message)?.[1];
      if (id) starts.push({ id, at: performance.now() });
    },
  });
  const ended = begun + report.durationMs;
  console.log(`-- sandbox ${sandbox}: ${report.sandbox?.on.join('; ')}`);
  for (const exercise of report.exercises) {
    const testsMs = exercise.tests.reduce((total, t) => total + (t.durationMs ?? 0), 0);
    const i = starts.findIndex((s) => s.id === exercise.id);
    const wallMs = i < 0 ? 0 : (starts[i + 1]?.at ?? ended) - starts[i].at;
    console.log(
      `${exercise.id.padEnd(24)} ${exercise.score}/${exercise.maxScore}  wall ${seconds(wallMs).padStart(7)}  tests ${seconds(testsMs)}`,
    );
  }
  console.log(
    `total ${report.score}/${report.maxScore}, wall ${seconds(report.durationMs)} (goal: at most 20 s on 2 cores), load average ${loadavg()[0].toFixed(2)}`,
  );
  return report;
}

export async function benchGrade(): Promise<void> {
  const seed = Math.floor(Math.random() * 2 ** 31);
  const on = await timedGrade('auto', seed);
  const off = await timedGrade('off', seed);
  const cost = (on.durationMs / off.durationMs - 1) * 100;
  console.log(
    `sandbox on ${seconds(on.durationMs)}, off ${seconds(off.durationMs)}: the sandbox costs ${cost.toFixed(1)}% (allowed: 15%)`,
  );
}
