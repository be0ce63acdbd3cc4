// The "exercises" field of an assignment file: each exercise's points and the
// weights of its hidden tests (points.json, with the file's overrides).
import { existsSync } from 'node:fs';
import { hiddenSuiteDir, loadExercises, loadPoints } from '../registry.ts';
import type { AssignedExercise } from './assignment.ts';
import { type Fail, isObject } from './json-lines.ts';

/**
 * Largest points or weight a file may give. JSON reads 1e400 as Infinity, and
 * sharing out points near the largest double overflows to Infinity or NaN,
 * which result files then carry as null: Gradescope refuses such a results.json.
 */
const MOST = 1_000_000;
const inRange = (n: unknown, least: number): n is number =>
  typeof n === 'number' && Number.isFinite(n) && n >= least && n <= MOST;

export function checkExercises(exercises: Record<string, unknown>, fail: Fail): AssignedExercise[] {
  const known = loadExercises().filter((e) => existsSync(hiddenSuiteDir(e.id)));
  return Object.entries(exercises).map(([id, entry]): AssignedExercise => {
    const path = `exercises/${id}`;
    if (!known.some((e) => e.id === id))
      fail(path, `unknown exercise "${id}"; the exercises: ${known.map((e) => e.id).join(', ')}`);
    if (!isObject(entry))
      return fail(
        path,
        `exercise "${id}" takes an object: { "points": 20, "tests": { "<test name>": 2 } }`,
      );
    for (const key of Object.keys(entry))
      if (key !== 'points' && key !== 'tests')
        fail(
          `${path}/${key}`,
          `unknown field "${key}" in exercise "${id}"; the fields are points, tests`,
        );
    const weights = { ...loadPoints(id) };
    if (entry.tests !== undefined) {
      if (!isObject(entry.tests))
        return fail(`${path}/tests`, `"tests" of "${id}" maps test names to weights`);
      for (const [name, weight] of Object.entries(entry.tests)) {
        if (!(name in weights))
          fail(
            `${path}/tests/${name}`,
            `exercise "${id}" has no hidden test "${name}"; its tests: ${Object.keys(loadPoints(id))
              .map((n) => `"${n}"`)
              .join(', ')}`,
          );
        if (!inRange(weight, 0))
          fail(
            `${path}/tests/${name}`,
            `the weight of "${name}" must be a number of at least 0 and at most ${MOST}`,
          );
        weights[name] = weight as number;
      }
    }
    const total = Object.values(weights).reduce((a, b) => a + b, 0);
    if (total <= 0) fail(path, `exercise "${id}" has no test with a weight above 0`);
    let points = total;
    if (entry.points !== undefined) {
      if (!inRange(entry.points, Number.MIN_VALUE))
        fail(`${path}/points`, `"points" of "${id}" must be a number above 0 and at most ${MOST}`);
      points = entry.points as number;
    }
    return { id, points, weights };
  });
}
