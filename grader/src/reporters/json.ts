// --format json: the report as documented in the README (score, maxScore, seed,
// exercises[].tests[] with status, message and replay).
import type { GradeReport } from '../report.ts';

export function formatJson(report: GradeReport): string {
  const { score, maxScore, seed, exercises } = report;
  return `${JSON.stringify({ score, maxScore, seed, exercises }, null, 2)}\n`;
}
