// npm run bench -- grade: wall time of grading solutions/ in full (goal: under 30 s on 2 cores).
import { gradeSubmission } from '../src/grade.ts';
import { repoRoot } from '../src/registry.ts';

export async function benchGrade(): Promise<void> {
  const report = await gradeSubmission(`${repoRoot}solutions`);
  for (const exercise of report.exercises) {
    const ms = exercise.tests.reduce((total, t) => total + (t.durationMs ?? 0), 0);
    console.log(
      `${exercise.id.padEnd(24)} ${exercise.score}/${exercise.maxScore}  tests ${(ms / 1000).toFixed(1)} s`,
    );
  }
  console.log(
    `total ${report.score}/${report.maxScore}, wall ${(report.durationMs / 1000).toFixed(1)} s (goal: < 30 s once every exercise exists)`,
  );
}
