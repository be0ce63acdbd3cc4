// Every name a suite's side files use must be a test of that suite:
// points.json keys (else the test is worth 1 and the key nothing), hints.json
// tests (else the hint never shows) and corpus MUST FAIL labels (else the
// entry proves nothing). A renamed test fails here, naming the file and key.
import { join } from 'node:path';
import { createVitest } from 'vitest/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus.ts';
import { HINT_CLASSES } from '../src/hint-match.ts';
import { hasHiddenSuite, loadExercises, loadHints, loadPoints, repoRoot } from '../src/registry.ts';

const exercises = loadExercises().filter((e) => hasHiddenSuite(e.id));
/** Test names per exercise, as vitest reads them from the suite files (no test runs). */
const testNames = new Map<string, Set<string>>();

beforeAll(async () => {
  const vitest = await createVitest('test', {
    config: false,
    root: repoRoot,
    include: ['grader/suites/*/**/*.test.ts'],
    watch: false,
    reporters: [],
  });
  try {
    const modules = await vitest.experimental_parseSpecifications(
      await vitest.globTestSpecifications(),
    );
    for (const module of modules) {
      const id = module.moduleId.slice(join(repoRoot, 'grader/suites/').length).split('/')[0];
      const names = testNames.get(id) ?? new Set<string>();
      for (const test of module.children.allTests()) names.add(test.name);
      testNames.set(id, names);
    }
  } finally {
    await vitest.close();
  }
}, 60_000);

describe.each(exercises.map((e) => [e.id, e] as const))(
  '%s: names beside the suite',
  (id, exercise) => {
    const suiteFile = (file: string) => join('grader/suites', id, file);
    const unknown = (names: string[]) => names.filter((name) => !testNames.get(id)?.has(name));

    it('has tests vitest can read', () => {
      expect(
        testNames.get(id)?.size ?? 0,
        `${suiteFile('')}: no test names parsed`,
      ).toBeGreaterThan(0);
    });

    it('points.json names only tests of the suite', () => {
      expect(
        unknown(Object.keys(loadPoints(id))),
        `${suiteFile('points.json')}: keys that name no test`,
      ).toEqual([]);
    });

    it('hints.json names only tests of the suite (or "*")', () => {
      const tests = loadHints(id)
        .map((h) => h.test)
        .filter((test) => test !== '*');
      expect(unknown(tests), `${suiteFile('hints.json')}: "test" values that name no test`).toEqual(
        [],
      );
    });

    it('hints.json chooses hints by failure class, never by a pattern over the message', () => {
      const wrong = loadHints(id).filter(
        (h) =>
          'when' in h ||
          (h.class !== undefined && !HINT_CLASSES.includes(h.class)) ||
          (h.test === '*' && h.class === undefined),
      );
      expect(
        wrong,
        `${suiteFile('hints.json')}: hints with a "when", an unknown class, or "*" without a class`,
      ).toEqual([]);
    });

    it('the corpus labels name only tests of the suite', () => {
      const wrong = loadCorpus(exercise)
        .filter((entry) => unknown([entry.mustFail]).length > 0)
        .map((entry) => `${entry.file.slice(repoRoot.length)}: MUST FAIL: ${entry.mustFail}`);
      expect(wrong, 'corpus entries whose MUST FAIL names no test').toEqual([]);
    });
  },
);
