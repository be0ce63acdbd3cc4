// --batch DIR: grade every submission folder in DIR, a few at a time, and
// write the gradebook and the test summary beside each other (gradebook.ts),
// and each submission's results in <gradebook>-reports/, all once every
// grading of the batch has ended. A folder that is not
// a submission gets a row saying so, and the batch goes on.
// With --shard K/N, only the K-th slice of the sorted folders (shard.ts).
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describeFailure, reportOfFailure } from './failed-report.ts';
import { chooseExercises, type GradeOptions } from './grade.ts';
import { reportFiles } from './grade-and-report.ts';
import { gradebookCsv, summarizeTests, testSummaryCsv, type BatchRow } from './gradebook.ts';
import { replaceFolder, writeAtomically } from './out-dir.ts';
import { batchProgress, type BatchProgress } from './progress.ts';
import { courseVersion, stamp } from './provenance.ts';
import { gradeRuns, randomSeed } from './runs.ts';
import { shardSlice, type Shard } from './shard.ts';
import { UsageError } from './submission.ts';

const isFolder = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * DIR's subfolders (hidden ones and the batch's own output left out), sorted by
 * code unit, not locale, so every CI job computes the same shards.
 */
export function listSubmissionFolders(dir: string, outputs: string[] = []): string[] {
  if (!isFolder(dir)) throw new UsageError(`--batch ${dir} is not a folder`);
  return readdirSync(dir)
    .filter(
      (name) =>
        !name.startsWith('.') && isFolder(join(dir, name)) && !outputs.includes(resolve(dir, name)),
    )
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Runs work on every item, at most `limit` at once. */
export async function eachAtMost<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export interface BatchOptions {
  grade: GradeOptions;
  runs: number;
  shard?: Shard;
  /** The gradebook CSV's path; the test summary is written beside it as <name>-tests.csv. */
  gradebook: string;
  /** Formats written for each submission into <gradebook>-reports/ (json always). */
  formats: string[];
  /** Submissions graded at once. */
  jobs: number;
  progress?: BatchProgress;
}

export interface BatchResult {
  rows: BatchRow[];
  exerciseIds: string[];
  gradebook: string;
  testSummary: string;
  /** Submissions not graded because the grader failed (not because they are not submissions). */
  graderFailures: number;
}

export async function gradeBatch(dir: string, options: BatchOptions): Promise<BatchResult> {
  const gradebook = resolve(options.gradebook);
  const base = gradebook.replace(/\.csv$/i, '');
  const reportsDir = `${base}-reports`;
  const exerciseIds = chooseExercises(options.grade.exercises).map((e) => e.id);
  const names = shardSlice(listSubmissionFolders(dir, [reportsDir]), options.shard);
  const progress = options.progress ?? batchProgress(names.length);
  const rows: BatchRow[] = names.map((name) => ({ name }));
  const perSubmission = [...new Set(['json', ...options.formats])];
  let graderFailures = 0;
  const files: Map<string, string>[] = [];
  await eachAtMost(rows, options.jobs, async (row) => {
    const path = join(dir, row.name);
    const grade = {
      ...options.grade,
      seed: options.grade.seed ?? randomSeed(),
      onProgress: (message: string) => progress.update(row.name, message),
    };
    progress.update(row.name, 'starting');
    try {
      row.report = stamp(await gradeRuns(path, grade, options.runs), grade.assignment);
      progress.finished(
        row.name,
        `${row.report.score}/${row.report.maxScore} (${(row.report.durationMs / 1000).toFixed(1)} s)`,
      );
      files.push(reportFiles(row.report, perSubmission, `${row.name}.`));
    } catch (error) {
      if (!(error instanceof UsageError)) graderFailures++;
      row.note = describeFailure(error);
      progress.finished(row.name, `not graded: ${row.note}`);
      files.push(reportFiles(reportOfFailure(path, error, grade), perSubmission, `${row.name}.`));
    }
  });
  progress.close();
  // Only now, with every grading ended, are result files written (out-dir.ts):
  // the reports folder is replaced whole, the two tables atomically.
  replaceFolder(reportsDir, new Map(files.flatMap((perRow) => [...perRow])));
  mkdirSync(dirname(gradebook), { recursive: true });
  const assignment = options.grade.assignment;
  writeAtomically(
    dirname(gradebook),
    basename(gradebook),
    gradebookCsv(rows, exerciseIds, { course: courseVersion(), assignment }),
  );
  const testSummary = `${base}-tests.csv`;
  writeAtomically(
    dirname(testSummary),
    basename(testSummary),
    testSummaryCsv(summarizeTests(rows)),
  );
  return { rows, exerciseIds, gradebook, testSummary, graderFailures };
}
