// --runs N: grade N times with consecutive seeds (seed, seed+1, ...) and count
// a test as passed only if it passed in every run, so a race that shows up in
// one run of N costs its points, with that run's message and replay command.
import { gradeSubmission, type GradeOptions } from './grade.ts';
import type { ExerciseReport, GradeReport, TestReport, TestStatus } from './report.ts';
import { sum } from './report.ts';

export const randomSeed = () => Math.floor(Math.random() * 2 ** 31);

export async function gradeRuns(
  submission: string,
  options: GradeOptions,
  runs: number,
): Promise<GradeReport> {
  const first = options.seed ?? randomSeed();
  const reports: GradeReport[] = [];
  for (let run = 0; run < runs; run++) {
    if (runs > 1) options.onProgress?.(`run ${run + 1} of ${runs} (seed ${first + run})`);
    reports.push(await gradeSubmission(submission, { ...options, seed: first + run }));
  }
  return mergeRuns(reports);
}

/** One test across runs: the runs it took part in, and each run where it did not pass. */
export interface TestTally {
  exercise: string;
  name: string;
  maxScore: number;
  runs: number;
  failures: { seed: number; status: TestStatus; message: string; test?: TestReport }[];
}

/** Every test of every run, in first-seen order. A test missing from a run (its exercise could not be graded then) failed in it. */
export function tallyRuns(reports: GradeReport[]): TestTally[] {
  const tallies = new Map<string, TestTally>();
  const key = (exercise: string, name: string) => `${exercise}\u0000${name}`;
  for (const report of reports) {
    for (const exercise of report.exercises) {
      for (const test of exercise.tests) {
        if (!tallies.has(key(exercise.id, test.name)))
          tallies.set(key(exercise.id, test.name), {
            exercise: exercise.id,
            name: test.name,
            maxScore: test.maxScore,
            runs: 0,
            failures: [],
          });
      }
    }
  }
  for (const report of reports) {
    for (const tally of tallies.values()) {
      const exercise = report.exercises.find((e) => e.id === tally.exercise);
      const test = exercise?.tests.find((t) => t.name === tally.name);
      tally.runs++;
      if (test?.status === 'passed') continue;
      const message = test
        ? test.message
        : `no result in this run: ${exercise?.error ?? 'the exercise was not graded'}`;
      tally.failures.push({ seed: report.seed, status: test?.status ?? 'failed', message, test });
    }
  }
  return [...tallies.values()];
}

function mergedTest(tally: TestTally, runs: number, passed?: TestReport): TestReport {
  if (tally.failures.length === 0) return passed!;
  const [first] = tally.failures;
  const seeds = tally.failures.map((f) => f.seed).join(', ');
  const message = `failed in ${tally.failures.length} of ${runs} runs (seeds ${seeds}); the first, with seed ${first.seed}:\n${first.message}`;
  const status = first.status === 'passed' ? 'failed' : first.status;
  return {
    name: tally.name,
    score: 0,
    maxScore: tally.maxScore,
    status,
    message,
    replay: first.test?.replay ?? null,
    durationMs: first.test?.durationMs ?? null,
  };
}

export function mergeRuns(reports: GradeReport[]): GradeReport {
  if (reports.length === 1) return reports[0];
  const [base] = reports;
  const tallies = tallyRuns(reports);
  const exercises: ExerciseReport[] = base.exercises.map((exercise) => {
    const tests = tallies
      .filter((t) => t.exercise === exercise.id)
      .map((tally) =>
        mergedTest(
          tally,
          reports.length,
          exercise.tests.find((t) => t.name === tally.name),
        ),
      );
    const error = reports
      .map((r) => r.exercises.find((e) => e.id === exercise.id)?.error)
      .find(Boolean);
    const maxScore = tests.length > 0 ? sum(tests, (t) => t.maxScore) : exercise.maxScore;
    return {
      ...exercise,
      score: sum(tests, (t) => t.score),
      maxScore,
      tests,
      ...(error ? { error } : {}),
    };
  });
  return {
    ...base,
    score: sum(exercises, (e) => e.score),
    maxScore: sum(exercises, (e) => e.maxScore),
    durationMs: sum(reports, (r) => r.durationMs),
    exercises,
  };
}
