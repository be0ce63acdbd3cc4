// The interleaving of a controlled run as a learner reads it: one column per
// actor, one row per shim operation, trimmed to the rows that matter.

export interface TraceRow {
  step: number;
  actor: number;
  text: string;
  /** The cell it touched ("s1@8"), if any: rows on the cells a failure names are kept when trimming. */
  cell?: string;
}

const COLUMN_MAX = 34;

function pad(text: string, width: number): string {
  const cut = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return cut.padEnd(width);
}

/**
 * The rows as a table. Over `limit` rows, keeps the last ones and every row on
 * a `focus` cell, and says how many were left out where.
 */
export function formatTrace(
  rows: TraceRow[],
  actorNames: string[],
  focus: ReadonlySet<string> = new Set(),
  limit = 32,
): string {
  let kept = rows;
  if (rows.length > limit) {
    const tail = new Set(rows.slice(-Math.ceil(limit / 2)));
    const focused = rows.filter((r) => r.cell !== undefined && focus.has(r.cell));
    const wanted = new Set([...focused.slice(-Math.floor(limit / 2)), ...tail]);
    kept = rows.filter((r) => wanted.has(r));
  }
  const widths = actorNames.map((name, actor) =>
    Math.min(
      COLUMN_MAX,
      Math.max(name.length, ...kept.filter((r) => r.actor === actor).map((r) => r.text.length)),
    ),
  );
  const stepWidth = Math.max(4, String(rows.at(-1)?.step ?? 0).length);
  const line = (step: string, cells: string[]) =>
    `${step.padStart(stepWidth)}  ${cells.map((c, i) => pad(c, widths[i])).join(' | ')}`.trimEnd();
  const out = [line('step', actorNames)];
  let previous = -1;
  for (const row of kept) {
    const index = rows.indexOf(row, previous + 1);
    if (index > previous + 1)
      out.push(`${''.padStart(stepWidth)}  … ${index - previous - 1} rows not shown …`);
    previous = index;
    out.push(
      line(
        String(row.step),
        actorNames.map((_, actor) => (actor === row.actor ? row.text : '')),
      ),
    );
  }
  return out.join('\n');
}
