// Every output format, read back by a real parser, still says what the report
// says whatever strings a submission put into it: the score is the score, no
// line forges another, no markup opens or closes what the reporter did not.
// Used with hostile reports (reporters.test.ts) and a hostile grading
// (hostile.test.ts, injection.ts). Not a submission.
import { DOMParser } from '@xmldom/xmldom';
import MarkdownIt from 'markdown-it';
import type { ExpectStatic } from 'vitest';
import { gradebookCsv, summarizeTests, testSummaryCsv } from '../../src/gradebook.ts';
import type { GradeReport } from '../../src/report.ts';
import { formats } from '../../src/reporters/index.ts';
import { formatText } from '../../src/reporters/text.ts';

/** C0 controls but tab and newline, DEL, C1: what a file or terminal must never receive. */
const CONTROL = /[\x00-\x08\x0B-\x1F\x7F-\x9F]/;
/** Characters that reorder or break lines for some readers only. */
const INVISIBLE = /[\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

/** RFC 4180: fields separated by commas, quoted when they hold a comma, quote or line break. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

function checkText(report: GradeReport, expect: ExpectStatic): void {
  for (const colour of [false, true]) {
    // The reporter's own colours are the only escape sequences allowed through.
    const text = formatText(report, colour).replace(/\x1b\[[0-9;]*m/g, '');
    expect(CONTROL.exec(text)?.[0], 'a control character in the text report').toBeUndefined();
    expect(INVISIBLE.exec(text)?.[0], 'a bidi or separator character').toBeUndefined();
    expect(text.match(/^Total: /gm), 'one total line').toHaveLength(1);
  }
}

function checkJson(report: GradeReport, expect: ExpectStatic): void {
  expect(JSON.parse(formats.json.render(report)).score).toBe(report.score);
  const gradescope = JSON.parse(formats.gradescope.render(report));
  expect(gradescope.score).toBe(report.graderError ? 0 : report.score);
  const testCount = report.exercises.reduce((n, e) => n + Math.max(1, e.tests.length), 0);
  expect(gradescope.tests).toHaveLength(testCount);
  // Gradescope renders its outputs as Markdown: nothing a submission wrote leaves a code block.
  for (const output of [
    gradescope.output,
    ...gradescope.tests.map((t: { output: string }) => t.output),
  ]) {
    const tokens = new MarkdownIt({ html: true }).parse(output, {});
    const outside = tokens.filter((t) =>
      ['html_block', 'heading_open', 'table_open', 'hr'].includes(t.type),
    );
    expect(
      outside.map((t) => t.type),
      'Gradescope Markdown outside a code block',
    ).toEqual([]);
  }
  const prairielearn = JSON.parse(formats.prairielearn.render(report));
  expect(prairielearn.tests).toHaveLength(testCount);
}

function checkAutolab(report: GradeReport, expect: ExpectStatic): void {
  const lines = formats.autolab.render(report).trimEnd().split('\n');
  const scores = Object.fromEntries(
    report.exercises.map((e) => [e.id, report.graderError ? 0 : e.score]),
  );
  expect(JSON.parse(lines.at(-1)!), 'the last line is the real score').toEqual({ scores });
  expect(
    lines.slice(0, -1).filter((line) => line.startsWith('{"scores"')),
    'no line above can pass for it',
  ).toEqual([]);
}

function checkJunit(report: GradeReport, expect: ExpectStatic): void {
  const xml = formats.junit.render(report);
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
  const cases = Array.from(document.getElementsByTagName('testcase'));
  const expected = report.exercises.reduce((n, e) => n + Math.max(1, e.tests.length), 0);
  expect(cases, 'one <testcase> per test, none forged').toHaveLength(
    expected + (report.graderError ? 1 : 0),
  );
  expect(document.getElementsByTagName('testsuite').length).toBe(
    report.exercises.length + (report.graderError ? 1 : 0),
  );
}

function checkMarkdown(report: GradeReport, expect: ExpectStatic): void {
  const tokens = new MarkdownIt({ html: true }).parse(formats.markdown.render(report), {});
  const html = tokens
    .flatMap((t) => [t, ...(t.children ?? [])])
    .filter((t) => t.type === 'html_block' || t.type === 'html_inline')
    .map((t) => t.content.trim());
  for (const block of html)
    expect(block, 'the only HTML is the reporter’s own <details>').toMatch(
      /^(<details><summary>[^<>]*<\/summary>|<\/details>)$/,
    );
  const headings = tokens.filter((t) => t.type === 'heading_open').map((t) => t.tag);
  expect(headings, 'one title and one heading per exercise').toEqual([
    'h2',
    ...report.exercises.map(() => 'h3'),
  ]);
  const tables = tokens.filter((t) => t.type === 'table_open').length;
  expect(tables).toBe(report.exercises.filter((e) => e.tests.length > 0).length);
  const rows = tokens.filter((t) => t.type === 'tr_open').length;
  expect(rows, 'one table row per test, plus headers').toBe(
    report.exercises.reduce((n, e) => n + (e.tests.length > 0 ? e.tests.length + 1 : 0), 0),
  );
}

function checkCsv(report: GradeReport, submissionName: string, expect: ExpectStatic): void {
  const rows = [{ name: submissionName, report }];
  const ids = report.exercises.map((e) => e.id);
  for (const csv of [gradebookCsv(rows, ids), testSummaryCsv(summarizeTests(rows))]) {
    const table = parseCsv(csv);
    for (const row of table)
      expect(row, 'every row as wide as the header').toHaveLength(table[0].length);
    for (const cell of table.flat()) {
      expect(cell, 'no cell a spreadsheet runs as a formula').not.toMatch(/^[=+@\t\r]|^-[^\d]/);
      expect(CONTROL.exec(cell)?.[0]).toBeUndefined();
    }
  }
  const [, gradebookRow] = parseCsv(gradebookCsv(rows, ids));
  expect(Number(gradebookRow[ids.length + 1]), 'the total column is the score').toBe(report.score);
}

/** Every format of the report read back: well-formed, and saying what the report says. */
export function checkEveryFormat(
  report: GradeReport,
  expect: ExpectStatic,
  submissionName = 'submission',
): void {
  checkText(report, expect);
  checkJson(report, expect);
  checkAutolab(report, expect);
  checkJunit(report, expect);
  checkMarkdown(report, expect);
  checkCsv(report, submissionName, expect);
}
