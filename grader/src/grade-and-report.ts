// Grade one submission and write the requested formats. Whatever happens, each
// requested file is written: when grading cannot finish, from a report that
// says why (failed-report.ts), and the error is then thrown on for the exit code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradeOptions } from './grade.ts';
import { reportOfFailure } from './failed-report.ts';
import type { GradeReport } from './report.ts';
import { formats } from './reporters/index.ts';
import { formatText } from './reporters/text.ts';
import { gradeRuns, randomSeed } from './runs.ts';

export interface ReportOptions {
  grade: GradeOptions;
  runs: number;
  /** Names in reporters/index.ts, already checked. */
  formats: string[];
  /** Write one file per format here (and print the text table) instead of printing each format. */
  out?: string;
}

export function writeReportFiles(
  report: GradeReport,
  names: string[],
  dir: string,
  prefix = '',
): void {
  mkdirSync(dir, { recursive: true });
  for (const name of names)
    writeFileSync(join(dir, `${prefix}${formats[name].file}`), formats[name].render(report));
}

export async function gradeAndReport(
  submission: string,
  options: ReportOptions,
): Promise<GradeReport> {
  const grade = { ...options.grade, seed: options.grade.seed ?? randomSeed() };
  let report: GradeReport;
  let failure: unknown = null;
  try {
    report = await gradeRuns(submission, grade, options.runs);
  } catch (error) {
    failure = error;
    report = reportOfFailure(submission, error, grade);
  }
  if (options.out) {
    writeReportFiles(report, options.formats, options.out);
    if (!failure) process.stdout.write(formatText(report));
  } else {
    for (const name of options.formats) {
      // On failure the error message says it all; machine-read formats are still printed.
      if (name === 'text' && failure) continue;
      process.stdout.write(name === 'text' ? formatText(report) : formats[name].render(report));
    }
  }
  if (failure) throw failure;
  return report;
}
