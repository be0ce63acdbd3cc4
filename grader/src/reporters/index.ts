// Output formats by name, each a pure function of the report, and the file each
// writes with --out (names chosen so that no two formats collide in one folder).
import type { GradeReport } from '../report.ts';
import { formatAutolab } from './autolab.ts';
import { formatGradescope } from './gradescope.ts';
import { formatJson } from './json.ts';
import { formatJunit } from './junit.ts';
import { formatMarkdown } from './markdown.ts';
import { formatPrairieLearn } from './prairielearn.ts';
import { formatText } from './text.ts';

export interface Format {
  file: string;
  render(report: GradeReport): string;
}

export const formats: Record<string, Format> = {
  text: { file: 'report.txt', render: (report) => formatText(report, false) },
  json: { file: 'results.json', render: formatJson },
  gradescope: { file: 'gradescope.json', render: formatGradescope },
  prairielearn: { file: 'prairielearn.json', render: formatPrairieLearn },
  autolab: { file: 'autolab.txt', render: formatAutolab },
  junit: { file: 'junit.xml', render: formatJunit },
  markdown: { file: 'summary.md', render: formatMarkdown },
};
