// Points per hidden test: the suite's points.json, or, for an assignment, the
// exercise's points shared out by the tests' weights (the last test takes the
// rounding, so the tests always add up to the exercise's points).
import { loadPoints } from '../registry.ts';
import type { Assignment } from './assignment.ts';

const cents = (n: number) => Math.round(n * 100) / 100;

export function pointsFor(id: string, assignment?: Assignment): Record<string, number> {
  const assigned = assignment?.exercises.find((e) => e.id === id);
  if (!assigned) return loadPoints(id);
  const names = Object.keys(assigned.weights);
  const total = names.reduce((sum, name) => sum + assigned.weights[name], 0);
  const points: Record<string, number> = {};
  let given = 0;
  const lastWeighted = names.filter((name) => assigned.weights[name] > 0).at(-1);
  for (const name of names) {
    points[name] =
      name === lastWeighted
        ? cents(assigned.points - given)
        : cents((assigned.points * assigned.weights[name]) / total);
    given = cents(given + points[name]);
  }
  return points;
}
