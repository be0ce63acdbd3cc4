// npm run bench -- grade: wall time of grading solutions/ in full, with the
// sandbox on (every layer this host offers) and off (only the always-on rules),
// same seed. The issue allows the sandbox at most 15% of a full grade.
import { gradeSubmission } from '../src/grade.ts';
import { repoRoot } from '../src/registry.ts';
import type { GradeReport } from '../src/report.ts';
import type { SandboxMode } from '../src/sandbox-modes.ts';

async function timedGrade(sandbox: SandboxMode, seed: number): Promise<GradeReport> {
  const report = await gradeSubmission(`${repoRoot}solutions`, { sandbox, seed });
  console.log(`-- sandbox ${sandbox}: ${report.sandbox?.on.join('; ')}`);
  for (const exercise of report.exercises) {
    const ms = exercise.tests.reduce((total, t) => total + (t.durationMs ?? 0), 0);
    console.log(
      `${exercise.id.padEnd(24)} ${exercise.score}/${exercise.maxScore}  tests ${(ms / 1000).toFixed(1)} s`,
    );
  }
  console.log(
    `total ${report.score}/${report.maxScore}, wall ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return report;
}

export async function benchGrade(): Promise<void> {
  const seed = Math.floor(Math.random() * 2 ** 31);
  const on = await timedGrade('auto', seed);
  const off = await timedGrade('off', seed);
  const cost = (on.durationMs / off.durationMs - 1) * 100;
  console.log(
    `sandbox on ${(on.durationMs / 1000).toFixed(1)} s, off ${(off.durationMs / 1000).toFixed(1)} s: the sandbox costs ${cost.toFixed(1)}% (allowed: 15%)`,
  );
}
