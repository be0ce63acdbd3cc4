// The interleaving of a controlled run as a learner reads it: one column per
// actor, one row per shim operation, each with the place in the actor's code
// that made the call. Never trimmed and no cell cut: the run is shrunk before
// it is shown (shrink.ts), so the whole of it is the explanation.

export interface TraceRow {
  step: number;
  actor: number;
  text: string;
  /** The cell it touched ("s1@8"), if any. */
  cell?: string;
  /** Where in the actor's code the call was made ("mutex.ts:71"), if known. */
  where?: string;
}

/** What a row says: where, then what. */
export function rowText(row: TraceRow): string {
  return row.where ? `${row.where} ${row.text}` : row.text;
}

const PAIR_MARK = '⇄';

/** The rows as a table; the rows of the racing pair's steps (1-based) marked ⇄. */
export function formatTrace(
  rows: TraceRow[],
  actorNames: string[],
  racingPair: readonly number[] = [],
): string {
  const widths = actorNames.map((name, actor) =>
    Math.max(name.length, ...rows.filter((r) => r.actor === actor).map((r) => rowText(r).length)),
  );
  const stepWidth = Math.max(4, String(rows.at(-1)?.step ?? 0).length);
  const line = (step: string, mark: string, cells: string[]) =>
    `${step.padStart(stepWidth)} ${mark} ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')}`.trimEnd();
  const out = [line('step', ' ', actorNames)];
  const marked = new Set<number>();
  for (const [index, row] of rows.entries()) {
    const first = index === 0 || rows[index - 1].step !== row.step;
    const mark = first && racingPair.includes(row.step) && !marked.has(row.step);
    if (mark) marked.add(row.step);
    out.push(
      line(
        String(row.step),
        mark ? PAIR_MARK : ' ',
        actorNames.map((_, actor) => (actor === row.actor ? rowText(row) : '')),
      ),
    );
  }
  return out.join('\n');
}
