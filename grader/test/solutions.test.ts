// The reference solutions score full marks through the real grading path.
import { describe, expect, it } from 'vitest';
import { gradeSubmission } from '../src/grade.ts';
import { repoRoot } from '../src/registry.ts';

describe('grading solutions/', () => {
  it('gives full marks to every reference solution', { timeout: 1_200_000 }, async () => {
    const report = await gradeSubmission(`${repoRoot}solutions`);
    const lost = report.exercises.flatMap((e) =>
      e.tests
        .filter((t) => t.status !== 'passed')
        .map((t) => `${e.id}: ${t.name} (${t.status}) ${t.message}`),
    );
    expect(lost, `seed ${report.seed}`).toEqual([]);
    expect(report.score).toBe(report.maxScore);
    expect(report.maxScore).toBeGreaterThan(0);
  });
});
