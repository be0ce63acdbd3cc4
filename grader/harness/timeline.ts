// A history window as text: one row per client, each operation an interval
// |--put 3--| on a time axis shared by all rows, then a table of the exact
// times. The axis keeps the order of events, not their durations: each
// distinct timestamp gets a column, far enough from the previous one for the
// labels to fit. Equal timestamps share a column, so intervals that touch
// (which the checker counts as overlapping) are drawn touching.
import type { Operation } from './history.ts';
import type { Model } from './models/model.ts';

export interface TimelineWindow<I, O> {
  operations: Operation<I, O>[];
  /** Drawn with '=' and pointed at: the operation where linearization failed. */
  failing?: Operation<I, O>;
  /** Operations of the history before the window, not drawn. */
  omitted?: number;
}

/** Minimum columns between two distinct timestamps, so "before" never looks like "touching". */
const GAP = 2;

function describe<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): string {
  return model.describeOperation
    ? model.describeOperation(op.input, op.output)
    : `${JSON.stringify(op.input)} -> ${JSON.stringify(op.output)}`;
}

/** Column of each timestamp: order-preserving, wide enough for every label. */
function columns(ops: { call: number; return: number; label: string }[]): Map<number, number> {
  const times = [...new Set(ops.flatMap((op) => [op.call, op.return]))].sort((a, b) => a - b);
  const column = new Map<number, number>();
  let x = -GAP;
  for (const time of times) {
    x += GAP;
    for (const op of ops) {
      if (op.return === time) x = Math.max(x, column.get(op.call)! + op.label.length + 5); // "|--label--|"
    }
    column.set(time, x);
  }
  return column;
}

function drawInterval(row: string[], from: number, to: number, label: string, fill: string): void {
  for (let x = from; x <= to; x++) row[x] = fill;
  row[from] = '|';
  row[to] = '|';
  const start = from + Math.floor((to - from + 1 - label.length) / 2);
  for (let i = 0; i < label.length; i++) row[start + i] = label[i];
}

const micros = (ns: number) => (ns / 1000).toFixed(3);

export function renderTimeline<S, I, O>(
  model: Model<S, I, O>,
  window: TimelineWindow<I, O>,
): string {
  const ops = window.operations.map((op) => ({
    op,
    call: op.call,
    return: op.return,
    label: describe(model, op),
  }));
  if (ops.length === 0) return '(no operations)';
  const column = columns(ops);
  const width = Math.max(...column.values()) + 1;
  const clients = [...new Set(ops.map((o) => o.op.clientId))].sort();
  const pad = Math.max(...clients.map((c) => c.length));
  const lines = [
    `Timeline: one row per client; left to right is the order of events, not their duration.`,
  ];
  if (window.omitted) lines.push(`(${window.omitted} earlier operations not shown)`);
  for (const client of clients) {
    const row: string[] = Array(width).fill(' ');
    for (const o of ops.filter((o) => o.op.clientId === client)) {
      drawInterval(
        row,
        column.get(o.call)!,
        column.get(o.return)!,
        o.label,
        o.op === window.failing ? '=' : '-',
      );
    }
    lines.push(`${client.padEnd(pad)} ${row.join('').trimEnd()}`);
    if (window.failing && window.failing.clientId === client) {
      lines.push(
        `${' '.repeat(pad + 1 + column.get(window.failing.return)!)}^ no order of the operations so far explains this result`,
      );
    }
  }
  const origin = Math.min(...ops.map((o) => o.call));
  const labelWidth = Math.max(9, ...ops.map((o) => o.label.length));
  const clientWidth = Math.max(pad, 'client'.length);
  lines.push(
    '',
    `${'client'.padEnd(clientWidth)}  ${'operation'.padEnd(labelWidth)}  call (µs)  return (µs)`,
  );
  for (const o of [...ops].sort((a, b) => a.call - b.call || a.return - b.return)) {
    const mark = o.op === window.failing ? '  <- fails' : '';
    lines.push(
      `${o.op.clientId.padEnd(clientWidth)}  ${o.label.padEnd(labelWidth)}  ${micros(o.call - origin).padStart(9)}  ${micros(o.return - origin).padStart(11)}${mark}`,
    );
  }
  return lines.join('\n');
}

/** A verdict as a failure message: the picture when illegal, the budget that ran out when unknown. */
export function explainVerdict<S, I, O>(
  model: Model<S, I, O>,
  result: { verdict: string; reason?: string; elapsedMs: number; window?: TimelineWindow<I, O> },
): string {
  if (result.verdict === 'ok') return 'linearizable';
  if (result.verdict === 'unknown')
    return `unknown: the checker gave up after ${Math.round(result.elapsedMs)} ms (${result.reason}); this is not a pass`;
  return `not linearizable: no order of the operations respects real time and the specification.\n${result.window ? renderTimeline(model, result.window) : ''}`;
}
