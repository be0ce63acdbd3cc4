// Grade one submission and write the requested formats. Whatever happens, each
// requested file is written: when grading cannot finish, from a report that
// says why (failed-report.ts), and the error is then thrown on for the exit code.
// With --out, the files are written once grading has ended (out-dir.ts).
import type { GradeOptions } from './grade.ts';
import { reportOfFailure } from './failed-report.ts';
import type { GradeReport } from './report.ts';
import { prepareOut, writeOut } from './out-dir.ts';
import { formats } from './reporters/index.ts';
import { formatText } from './reporters/text.ts';
import { gradeRuns, randomSeed } from './runs.ts';
import { shownReport } from './visibility.ts';
import { stamp } from './provenance.ts';

export interface ReportOptions {
  grade: GradeOptions;
  runs: number;
  /** Names in reporters/index.ts, already checked. */
  formats: string[];
  /** Write one file per format here (and print the text table) instead of printing each format. */
  out?: string;
}

/** Each format's file name (with a prefix, for a batch's per-submission files) and content. */
export function reportFiles(
  report: GradeReport,
  names: string[],
  prefix = '',
): Map<string, string> {
  return new Map(
    names.map((name) => [`${prefix}${formats[name].file}`, formats[name].render(report)]),
  );
}

export async function gradeAndReport(
  submission: string,
  options: ReportOptions,
): Promise<GradeReport> {
  const grade = { ...options.grade, seed: options.grade.seed ?? randomSeed() };
  // Before any submission code runs: no file in --out can pass for a result (out-dir.ts).
  const out = options.out ? prepareOut(options.out) : null;
  let report: GradeReport;
  let failure: unknown = null;
  try {
    report = stamp(await gradeRuns(submission, grade, options.runs), grade.assignment);
  } catch (error) {
    failure = error;
    report = reportOfFailure(submission, error, grade);
  }
  if (out) {
    writeOut(out, reportFiles(report, options.formats));
    if (!failure) process.stdout.write(formatText(shownReport(report)));
  } else {
    for (const name of options.formats) {
      // On failure the error message says it all; machine-read formats are still printed.
      if (name === 'text' && failure) continue;
      process.stdout.write(
        name === 'text' ? formatText(shownReport(report)) : formats[name].render(report),
      );
    }
  }
  if (failure) throw failure;
  return report;
}
