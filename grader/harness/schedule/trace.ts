// The interleaving of a controlled run as a learner reads it: one column per
// actor, one row per shim operation, each with the place in the actor's code
// that made the call. Never trimmed and no cell cut: the run is shrunk before
// it is shown (shrink.ts), so the whole of it is the explanation. The same
// call repeated by one actor with the same result (a spin) is one row, with
// its count and steps.

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

/** The rows as shown: an actor's return (or throw) joins the row of its last call, at the same step. */
interface Shown {
  step: number;
  /** The last step of a repeated call. */
  until: number;
  actor: number;
  text: string;
  times: number;
}

function displayed(rows: TraceRow[]): Shown[] {
  const out: Shown[] = [];
  for (const row of rows) {
    const last = out.at(-1);
    const text = rowText(row);
    const ending = row.text === 'returns' || row.text.startsWith('throws');
    if (ending && last && last.step === row.step && last.actor === row.actor)
      last.text += `, then ${row.text}`;
    else if (
      last &&
      last.actor === row.actor &&
      last.text === text &&
      last.until + 1 === row.step
    ) {
      last.times++;
      last.until = row.step;
    } else out.push({ step: row.step, until: row.step, actor: row.actor, text, times: 1 });
  }
  return out;
}

const textOf = (r: Shown) =>
  r.times === 1 ? r.text : `${r.text} (×${r.times}, steps ${r.step}–${r.until})`;

/** How many rows the table of `rows` has (its header aside). */
export function tableRows(rows: TraceRow[]): number {
  return displayed(rows).length;
}

/** The rows as a table; the rows of the racing pair's steps (1-based) marked ⇄. */
export function formatTrace(
  rows: TraceRow[],
  actorNames: string[],
  racingPair: readonly number[] = [],
): string {
  const shown = displayed(rows);
  const widths = actorNames.map((name, actor) =>
    Math.max(name.length, ...shown.filter((r) => r.actor === actor).map((r) => textOf(r).length)),
  );
  const stepWidth = Math.max(4, String(rows.at(-1)?.step ?? 0).length);
  const line = (step: string, mark: string, cells: string[]) =>
    `${step.padStart(stepWidth)} ${mark} ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')}`.trimEnd();
  const out = [line('step', ' ', actorNames)];
  const marked = new Set<number>();
  for (const row of shown) {
    const step = racingPair.find((s) => s >= row.step && s <= row.until && !marked.has(s));
    const mark = step !== undefined;
    if (mark) marked.add(step);
    out.push(
      line(
        String(row.step),
        mark ? PAIR_MARK : ' ',
        actorNames.map((_, actor) => (actor === row.actor ? textOf(row) : '')),
      ),
    );
  }
  return out.join('\n');
}
