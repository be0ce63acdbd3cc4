// Output formats by name, each a function of the report, and the file each writes with --out.
import type { GradeReport } from '../report.ts';
import { formatJson } from './json.ts';
import { formatText } from './text.ts';

export interface Format {
  file: string;
  render(report: GradeReport): string;
}

export const formats: Record<string, Format> = {
  text: { file: 'report.txt', render: (report) => formatText(report, false) },
  json: { file: 'results.json', render: formatJson },
};
