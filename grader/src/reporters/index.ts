// Output formats by name, each a pure function of the report, and the file each
// writes with --out (names chosen so that no two formats collide in one folder).
// Each renders the report as students may see it (visibility.ts); Gradescope,
// which can hide tests itself, and Autolab, whose scores must stay per exercise,
// apply the assignment's choice their own way.
import type { GradeReport } from '../report.ts';
import { shownReport } from '../visibility.ts';
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

const shown =
  (render: (report: GradeReport) => string) =>
  (report: GradeReport): string =>
    render(shownReport(report));

export const formats: Record<string, Format> = {
  text: { file: 'report.txt', render: shown((report) => formatText(report, false)) },
  json: { file: 'results.json', render: shown(formatJson) },
  gradescope: { file: 'gradescope.json', render: formatGradescope },
  prairielearn: { file: 'prairielearn.json', render: shown(formatPrairieLearn) },
  autolab: { file: 'autolab.txt', render: formatAutolab },
  junit: { file: 'junit.xml', render: shown((report) => formatJunit(report)) },
  markdown: { file: 'summary.md', render: shown(formatMarkdown) },
};
