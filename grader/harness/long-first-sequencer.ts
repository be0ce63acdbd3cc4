// npm test's file order: the longest files first. Vitest orders files by their
// last run's duration when it has one, and otherwise by size, largest first,
// so on a fresh clone (CI) the corpus and solutions checks, short files that
// each grade for minutes, started last, and npm test ended with one of its two
// workers idle while they ran. These start first; the rest keeps vitest's order.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files that take minutes whatever their size: they grade submissions through the real grading path. */
export const LONG_FILES = [
  'grader/test/corpus.test.ts',
  'grader/test/solutions.test.ts',
  'grader/test/hostile.test.ts',
];

const rank = (spec: TestSpecification): number => {
  const i = LONG_FILES.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
  return i < 0 ? LONG_FILES.length : i;
};

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: files of the same rank keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
