// The "exercises" field of an assignment file: each exercise's points and the
// weights of its hidden tests (points.json, with the file's overrides).
import { existsSync } from 'node:fs';
import { hiddenSuiteDir, loadExercises, loadPoints } from '../registry.ts';
import type { AssignedExercise } from './assignment.ts';
import { type Fail, isObject } from './json-lines.ts';

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
        if (typeof weight !== 'number' || !(weight >= 0))
          fail(`${path}/tests/${name}`, `the weight of "${name}" must be a number of at least 0`);
        weights[name] = weight as number;
      }
    }
    const total = Object.values(weights).reduce((a, b) => a + b, 0);
    if (total <= 0) fail(path, `exercise "${id}" has no test with a weight above 0`);
    let points = total;
    if (entry.points !== undefined) {
      if (typeof entry.points !== 'number' || !(entry.points > 0))
        fail(`${path}/points`, `"points" of "${id}" must be a number above 0`);
      points = entry.points as number;
    }
    return { id, points, weights };
  });
}
