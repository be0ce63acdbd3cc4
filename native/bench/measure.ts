// Small timing helpers shared by the benchmarks: warm up, then take the median of rounds.
export function nsPerOp(rounds: number, opsPerRound: number, body: (ops: number) => void): number {
  body(opsPerRound); // warm-up: let the JIT settle
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    body(opsPerRound);
    samples.push(Number(process.hrtime.bigint() - start) / opsPerRound);
  }
  return median(samples);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function table(rows: [string, string, string][]): string {
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2]}`)
    .join('\n');
}
