// A corpus patch applies to the solution it was written against, and a
// solution that moved on makes it fail loudly, naming the entry.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMutation, StalePatchError } from '../src/mutation.ts';

const solution = mkdtempSync(join(tmpdir(), 'ipcc-mutation-'));
afterAll(() => rmSync(solution, { recursive: true, force: true }));
writeFileSync(
  join(solution, 'lock.ts'),
  [
    'export function unlock(cell: Int32Array): void {',
    '  Atomics.store(cell, 0, 0);',
    '  Atomics.notify(cell, 0, 1);',
    '}',
    '',
  ].join('\n'),
);

const neverNotifies = `BUG: unlock never notifies
MUST FAIL: wakes a waiter

--- lock.ts
+++ lock.ts
@@ -1,4 +1,3 @@
 export function unlock(cell: Int32Array): void {
   Atomics.store(cell, 0, 0);
-  Atomics.notify(cell, 0, 1);
 }
`;

describe('applyMutation', () => {
  it('returns the solution file with the bug in it, labels and all ignored', () => {
    const mutated = applyMutation('never-notifies.patch', neverNotifies, solution);
    expect([...mutated.keys()]).toEqual(['lock.ts']);
    expect(mutated.get('lock.ts')).toBe(
      'export function unlock(cell: Int32Array): void {\n  Atomics.store(cell, 0, 0);\n}\n',
    );
  });

  it('throws StalePatchError naming the entry when the solution changed under the patch', () => {
    const moved = neverNotifies.replace(
      'Atomics.store(cell, 0, 0)',
      'Atomics.exchange(cell, 0, 0)',
    );
    expect(() => applyMutation('never-notifies.patch', moved, solution)).toThrow(StalePatchError);
    expect(() => applyMutation('never-notifies.patch', moved, solution)).toThrow(
      /^never-notifies\.patch no longer applies: a hunk of lock\.ts/,
    );
  });

  it('throws for a file the solution does not have, and for a patch with no hunk', () => {
    expect(() =>
      applyMutation('x.patch', neverNotifies.replaceAll('lock.ts', 'gone.ts'), solution),
    ).toThrow(/x\.patch no longer applies: .*gone\.ts does not exist/);
    expect(() => applyMutation('y.patch', 'BUG: b\nMUST FAIL: t\n', solution)).toThrow(
      /y\.patch no longer applies: it holds no hunk/,
    );
  });
});
