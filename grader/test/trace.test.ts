// The interleaving table (harness/schedule/trace.ts): call sites, a return on
// the row of the last call, a spin as one row with its count, the racing pair
// marked, and nothing cut however long a row is.
import { describe, expect, it } from 'vitest';
import { formatTrace, tableRows, type TraceRow } from '../harness/schedule/trace.ts';

const rows: TraceRow[] = [
  { step: 1, actor: 0, text: 'starts' },
  { step: 2, actor: 0, text: 'load s1@64 → 0', where: 'lock.ts:10' },
  { step: 3, actor: 1, text: 'starts' },
  { step: 4, actor: 1, text: 'load s1@64 → 0', where: 'lock.ts:10' },
  ...[5, 6, 7, 8].map((step) => ({ step, actor: 1, text: 'load s1@64 → 1', where: 'lock.ts:12' })),
  { step: 9, actor: 0, text: `store s1@64 0→1 ${'x'.repeat(80)}`, where: 'lock.ts:11' },
  { step: 9, actor: 0, text: 'returns' },
];

describe('the interleaving table', () => {
  it('shows every call whole, with its call site; a spin as one row; a return with the last call', () => {
    const table = formatTrace(rows, ['A (worker)', 'B (process)'], [2, 3]);
    const lines = table.split('\n');
    expect(tableRows(rows)).toBe(6);
    expect(lines).toHaveLength(7);
    expect(table).toContain('lock.ts:10 load s1@64 → 0');
    expect(table).toContain('lock.ts:12 load s1@64 → 1 (×4, steps 5–8)');
    expect(table).toContain(`lock.ts:11 store s1@64 0→1 ${'x'.repeat(80)}, then returns`);
    // The racing pair: steps 2 and 3, each marked once.
    expect(lines.filter((l) => l.includes('⇄')).map((l) => l.trim().split(/\s+/)[0])).toEqual([
      '2',
      '3',
    ]);
  });
});
