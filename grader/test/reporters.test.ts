// Every output format, from hand-built reports (no grading): the shape each
// engine expects, read back with a real parser; markup and control characters a
// submission printed escaped; long text capped; a grading that could not finish
// still a valid file that says why.
import { DOMParser, type Element } from '@xmldom/xmldom';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { formats } from '../src/reporters/index.ts';
import { MESSAGE_CAP } from '../src/reporters/feedback-text.ts';
import {
  failedReport,
  HUGE,
  mixedReport,
  POISON,
  poisonedReport,
  TRACE,
  tracedReport,
} from './fixtures/reports.ts';
import { checkEveryFormat } from './hostile/formats-hold.ts';

const render = (name: string, report = mixedReport) => formats[name].render(report);
/** Characters no result file may hold: C0 controls but tab and newline, DEL, C1, lone surrogates. */
const UNSAFE =
  /[\x00-\x08\x0B-\x1F\x7F-\x9F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function parseXml(xml: string) {
  return new DOMParser({
    // Warnings are advice (one flags the U+FFFD that replaces a lone surrogate, on purpose).
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
}

const children = (parent: Element, tag: string) => Array.from(parent.getElementsByTagName(tag));

describe('every format', () => {
  for (const name of Object.keys(formats)) {
    it(`${name}: renders a report and a failed grading with only safe characters, capped`, () => {
      for (const report of [mixedReport, failedReport]) {
        const text = render(name, report);
        expect(text.endsWith('\n')).toBe(true);
        expect(UNSAFE.exec(text)?.[0], 'an unsafe character').toBeUndefined();
        expect(text.length, 'a 50,000-character message is capped').toBeLessThan(20_000);
      }
      expect(render(name, failedReport)).toMatch(/ENOSPC/);
    });
  }

  it('states in every format which sandbox layers were in force, and which not and why', () => {
    expect(JSON.parse(render('json')).sandbox).toEqual(mixedReport.sandbox);
    for (const name of Object.keys(formats).filter((f) => f !== 'json')) {
      const text = render(name);
      expect(text, name).toMatch(/Sandbox \(auto\)/);
      expect(text, name).toMatch(/uid 61000 of its own/);
      expect(text, name).toMatch(/prlimit\(1\) is not installed/);
    }
  });

  it('writes each format to its own file name', () => {
    const files = Object.values(formats).map((f) => f.file);
    expect(new Set(files).size).toBe(files.length);
    expect(formats.gradescope.file).toBe('gradescope.json');
    expect(formats.json.file).toBe('results.json');
  });
});

describe('gradescope', () => {
  it('gives one test per hidden test with the fields Gradescope reads', () => {
    const results = JSON.parse(render('gradescope'));
    expect(results).toMatchObject({
      score: 3,
      execution_time: 12,
      visibility: 'visible',
      stdout_visibility: 'hidden',
    });
    expect(results.output).toMatch(/Total: 3\/12/);
    expect(results.output_format).toBe('md');
    expect(results.tests).toHaveLength(7);
    for (const test of results.tests) {
      expect(Object.keys(test).sort()).toEqual([
        'max_score',
        'name',
        'output',
        'output_format',
        'score',
        'status',
        'tags',
        'visibility',
      ]);
      expect(['passed', 'failed']).toContain(test.status);
    }
    expect(
      results.tests.reduce((n: number, t: { max_score: number }) => n + t.max_score, 0),
      'the maximum is the course maximum',
    ).toBe(12);
    const exclusion = results.tests.find(
      (t: { name: string }) => t.name === '04-mutex: never lets two holders in at once',
    );
    expect(exclusion).toMatchObject({
      score: 0,
      max_score: 4,
      status: 'failed',
      tags: ['04-mutex'],
    });
    expect(exclusion.output).toContain(
      'Replay it:\n\n```sh\nnpm run grade -- /subs/alice --exercise 04-mutex --seed 1234\n```',
    );
    expect(exclusion.output).toContain('\\x1b[31mred');
    // Markdown: what the submission wrote stays inside a code block.
    expect(new MarkdownIt().render(exclusion.output)).not.toMatch(/<script/);
    expect(
      results.tests.find((t: { name: string }) => t.name.endsWith('wakes a blocked waiter')).output,
    ).toMatch(
      new RegExp(
        `^\\*\\*timed out\\*\\*\\n\\n\`\`\`text\\nx+\\n… \\(${HUGE.length - MESSAGE_CAP} more characters\\)`,
      ),
    );
    expect(results.tests.at(-1)).toMatchObject({
      name: '05-semaphore: could not be graded',
      score: 0,
      max_score: 2,
      status: 'failed',
    });
  });

  it('scores a failed grading 0 and says why', () => {
    const results = JSON.parse(render('gradescope', failedReport));
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/^```+text\nNot graded: the grader failed: ENOSPC/);
    expect(results.tests.map((t: { status: string }) => t.status)).toEqual(['failed', 'failed']);
  });
});

describe('prairielearn', () => {
  it('gives the score as a fraction and a test list', () => {
    const results = JSON.parse(render('prairielearn'));
    expect(results).toMatchObject({ gradable: true, score: 0.25 });
    expect(results.message).toMatch(/Total: 3\/12/);
    for (const test of results.tests)
      expect(test).toEqual(
        expect.objectContaining({
          name: expect.any(String),
          points: expect.any(Number),
          max_points: expect.any(Number),
          message: expect.any(String),
          output: expect.any(String),
        }),
      );
    expect(results.tests[1]).toMatchObject({
      name: '04-mutex: never lets two holders in at once',
      points: 0,
      max_points: 4,
      message: 'failed: two holders at step 17',
    });
  });

  it('marks a failed grading not gradable, so the attempt costs the student nothing', () => {
    const results = JSON.parse(render('prairielearn', failedReport));
    expect(results).toMatchObject({ gradable: false, score: 0 });
    expect(results.format_errors[0]).toMatch(/ENOSPC/);
  });
});

describe('autolab', () => {
  it('ends with the autoresult line, one score per exercise', () => {
    const lines = render('autolab').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toEqual({ scores: { '04-mutex': 3, '05-semaphore': 0 } });
    expect(
      lines.slice(0, -1).some((line) => line.startsWith('{"scores"')),
      'no line above can pass for it',
    ).toBe(false);
    expect(lines.join('\n')).toMatch(/never lets two holders in at once/);
  });

  it('gives 0 to every exercise when grading could not finish', () => {
    expect(JSON.parse(render('autolab', failedReport).trimEnd().split('\n').at(-1)!)).toEqual({
      scores: { '04-mutex': 0, '05-semaphore': 0 },
    });
  });
});

describe('junit', () => {
  it('parses as XML: a testsuite per exercise, a testcase per test, failure, error and skipped', () => {
    const doc = parseXml(render('junit'));
    const root = doc.documentElement!;
    expect(root.tagName).toBe('testsuites');
    const [mutex, semaphore] = children(root, 'testsuite');
    expect(mutex.getAttribute('name')).toBe('04-mutex');
    expect(['tests', 'failures', 'errors', 'skipped'].map((a) => mutex.getAttribute(a))).toEqual([
      '6',
      '1',
      '2',
      '1',
    ]);
    const cases = children(mutex, 'testcase');
    expect(cases.map((c) => c.getAttribute('name'))).toHaveLength(6);
    const failure = children(cases[1], 'failure')[0];
    expect(failure.getAttribute('message')).toBe('two holders at step 17');
    expect(failure.textContent).toContain('boom <script>alert("x")</script> & \'q\'');
    expect(failure.textContent).toContain('\\x1b[31mred');
    expect(failure.textContent).toContain('\\x00nul');
    expect(children(cases[2], 'error')[0].getAttribute('type')).toBe('timeout');
    expect(children(cases[4], 'error')[0].getAttribute('type')).toBe('crashed');
    expect(children(cases[5], 'skipped')).toHaveLength(1);
    expect(
      children(mutex, 'property').map((p) => [p.getAttribute('name'), p.getAttribute('value')]),
    ).toEqual([
      ['score', '3'],
      ['maxScore', '10'],
      [
        'sandbox',
        'Sandbox (auto): uid 61000 of its own; namespaces (mount, PID, network, IPC). Not in force: limits: prlimit(1) is not installed',
      ],
    ]);
    const notGraded = children(semaphore, 'testcase')[0];
    expect(notGraded.getAttribute('name')).toBe('grading');
    expect(children(notGraded, 'error')[0].textContent).toContain('not submitted');
  });

  it('reports a failed grading as an error in a "grader" suite', () => {
    const root = parseXml(render('junit', failedReport)).documentElement!;
    const grader = children(root, 'testsuite')[0];
    expect(grader.getAttribute('name')).toBe('grader');
    expect(children(grader, 'error')[0].getAttribute('message')).toMatch(
      /^the grader failed: ENOSPC boom <script>/,
    );
  });
});

describe('markdown', () => {
  const html = (report = mixedReport) =>
    new MarkdownIt({ html: true }).render(render('markdown', report));

  it('shows a table per exercise and each failing test folded, with its replay command', () => {
    const text = render('markdown');
    expect(text).toMatch(/^## ipc-course grade: 3\/12\n/);
    expect(text).toContain('| ✅ | follows the contract | 2/2 |');
    expect(text).toContain('| ❌ | never lets two holders in at once | 0/4 |');
    expect(text.match(/<details>/g), 'failed, timed out and crashed; not skipped').toHaveLength(3);
    expect(text).toContain(
      '```sh\nnpm run grade -- /subs/alice --exercise 04-mutex --seed 1234\n```',
    );
    expect(html()).toContain('<table>');
  });

  it('keeps whatever a submission printed inside a code block', () => {
    expect(render('markdown')).toContain('````text\ntwo holders at step 17\nboom <script>');
    for (const report of [mixedReport, failedReport]) {
      expect(html(report)).not.toMatch(/<script/);
      expect(html(report)).toContain('&lt;script&gt;');
    }
  });
});

describe('json', () => {
  it('keeps the documented shape, with long messages capped', () => {
    const results = JSON.parse(render('json'));
    expect(Object.keys(results)).toEqual(['score', 'maxScore', 'seed', 'sandbox', 'exercises']);
    expect(results.exercises[0].tests[2].message.length).toBeLessThan(MESSAGE_CAP + 100);
    expect(JSON.parse(render('json', failedReport)).error).toMatch(/ENOSPC/);
  });
});

describe('strings a submission controls', () => {
  it('leave every format well-formed and saying what the report says', () => {
    checkEveryFormat(poisonedReport, expect, POISON);
    checkEveryFormat({ ...poisonedReport, graderError: POISON }, expect, POISON);
  });

  it('text: terminal escape sequences are removed whole, not shown', () => {
    const text = formats.text.render(poisonedReport);
    expect(text).not.toMatch(/\x1b|\\x1b|pwned|\]8;;/);
    expect(text).toContain('click');
    expect(text).toContain('safe\\u202eexe.txt');
  });

  it('names the ignored tests in every format', () => {
    for (const name of Object.keys(formats))
      expect(render(name, poisonedReport), name).toMatch(
        name === 'json' ? /"ignored": \[/ : /ignored tests not in the hidden suite/,
      );
  });
});

/** What a reader of a format sees: JSON strings and XML text decoded, the rest as written. */
function readable(name: string, text: string): string {
  if (name === 'junit') return parseXml(text).documentElement!.textContent ?? '';
  if (['json', 'gradescope', 'prairielearn'].includes(name)) {
    const strings: string[] = [];
    JSON.parse(text, (_, value) => (typeof value === 'string' && strings.push(value), value));
    return strings.join('\n');
  }
  return text;
}

describe("a controlled run's trace", () => {
  it('reaches the learner whole in every format, while the free text around it is capped', () => {
    const rows = TRACE.split('\n').map((row) => row.trimEnd());
    for (const name of Object.keys(formats)) {
      const text = readable(name, render(name, tracedReport));
      let at = -1;
      for (const row of rows) {
        const next = text.indexOf(row, at + 1);
        expect(next, `${name}: row "${row.trim()}" after the one before`).toBeGreaterThan(at);
        at = next;
      }
      expect(text, `${name}: the long free text is still cut`).not.toContain(
        'y'.repeat(MESSAGE_CAP + 1),
      );
    }
    const text = render('text', tracedReport);
    const lastRow = rows.at(-1)!;
    expect(text.indexOf('racing pair'), 'the table sits where the message said').toBeLessThan(
      text.indexOf(lastRow),
    );
    expect(text.indexOf(lastRow)).toBeLessThan(text.indexOf('Hint: read the table'));
    const gradescope = JSON.parse(render('gradescope', tracedReport)).tests[0];
    expect(gradescope.output_format).toBe('md');
    expect(gradescope.output).toContain(`\`\`\`text\n${TRACE}\n\`\`\``);
    expect(JSON.parse(render('json', tracedReport)).exercises[0].tests[0].trace).toBe(TRACE);
  });
});
