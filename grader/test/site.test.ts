// The lesson site: built from this repository, every lesson and task is a page,
// every link and #anchor leads somewhere in the site, code is highlighted,
// previous / next follow course order, and exercise status comes from the
// learner's state file. Then a real browser (headless Chromium) opens it all.
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCourse } from '../course/course-root.ts';
import { folderHash } from '../course/progress.ts';
import { updateState } from '../course/state.ts';
import { buildSite } from '../site/build-site.ts';
import { relativeLink } from '../site/layout.ts';
import { escapeHtml } from '../site/markdown.ts';
import { lessonSources, outputPath } from '../site/pages.ts';
import { startSiteServer } from '../site/serve.ts';
import { repoRoot } from '../src/registry.ts';

const course = openCourse(repoRoot);
const site = buildSite(course);
const lessons = lessonSources(course);
const html = (path: string) => String(site.get(path) ?? '');
const scratch = mkdtempSync(join(tmpdir(), 'ipcc-site-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run course -- build', () => {
  it('has a page for every lesson and every exercise task, and a front page listing the lessons', () => {
    for (const lesson of lessons) expect(site.has(outputPath(lesson)), lesson).toBe(true);
    for (const e of course.exercises)
      if (existsSync(join(repoRoot, 'exercises', e.id, 'README.md')))
        expect(site.has(`exercises/${e.id}/README.html`), e.id).toBe(true);
    for (const lesson of lessons)
      expect(html('index.html')).toContain(`href="${outputPath(lesson)}"`);
  });

  it('keeps every link inside the site, and every #anchor names a heading of its page', () => {
    const broken: string[] = [];
    for (const [page, contents] of site) {
      if (!page.endsWith('.html')) continue;
      for (const [, href] of String(contents).matchAll(/(?:href|src)="([^"]*)"/g)) {
        if (/^[a-z]+:/i.test(href)) continue; // the web: not ours to check
        const [path, anchor] = href.split('#');
        const target = path === '' ? page : posix.normalize(posix.join(posix.dirname(page), path));
        if (!site.has(target)) broken.push(`${page}: ${href} (no ${target} in the site)`);
        else if (anchor && !html(target).includes(`id="${anchor}"`))
          broken.push(`${page}: ${href} (no #${anchor} in ${target})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('highlights TypeScript, and keeps ASCII diagrams as written', () => {
    for (const lesson of lessons.filter((l) =>
      readFileSync(join(repoRoot, l), 'utf8').includes('```ts'),
    )) {
      expect(html(outputPath(lesson)), lesson).toMatch(
        /<code class="hljs language-typescript">[\s\S]*?<span class="hljs-keyword">/,
      );
    }
    const diagram = /```text\n([\s\S]*?)```/.exec(
      readFileSync(join(repoRoot, 'lessons/04-mutex.md'), 'utf8'),
    )![1];
    expect(html('lessons/04-mutex.html')).toContain(
      `<pre class="diagram"><code class="plain language-text">${escapeHtml(diagram)}</code></pre>`,
    );
  });

  it("renders each lesson's Review as folded questions: <details>, <summary>, and the answer inside", () => {
    for (const lesson of lessons) {
      const page = html(outputPath(lesson));
      expect(page, lesson).toMatch(
        /<h2 id="review">[\s\S]*?<details>\s*<summary>[^<]*\?<\/summary>\s*<p>[\s\S]+?<\/details>/,
      );
      expect(page, lesson).not.toContain('&lt;details&gt;');
    }
  });

  it('links each lesson to the one before and after it in course order', () => {
    lessons.forEach((lesson, i) => {
      const page = html(outputPath(lesson));
      const link = (rel: string, other: string | undefined) =>
        other
          ? `rel="${rel}" class="${rel}" href="${relativeLink(outputPath(lesson), outputPath(other))}"`
          : `rel="${rel}"`;
      if (i > 0) expect(page, lesson).toContain(link('prev', lessons[i - 1]));
      else expect(page, lesson).not.toContain(link('prev', undefined));
      if (i < lessons.length - 1) expect(page, lesson).toContain(link('next', lessons[i + 1]));
      else expect(page, lesson).not.toContain(link('next', undefined));
    });
  });

  it("shows each lesson's exercises with the learner's status", () => {
    const root = join(scratch, 'learner');
    mkdirSync(join(root, 'lessons'), { recursive: true });
    const all = JSON.parse(readFileSync(join(repoRoot, 'exercises/course.json'), 'utf8')) as {
      exercises: { id: string }[];
    };
    const kept = all.exercises.filter((e) => e.id === '03-spinlock' || e.id === '04-mutex');
    for (const { id } of kept) {
      cpSync(join(repoRoot, 'exercises', id), join(root, 'exercises', id), { recursive: true });
      copyFileSync(join(repoRoot, 'lessons', `${id}.md`), join(root, 'lessons', `${id}.md`));
    }
    writeFileSync(join(root, 'exercises/course.json'), JSON.stringify({ ...all, exercises: kept }));
    copyFileSync(
      join(repoRoot, 'solutions/04-mutex/mutex.ts'),
      join(root, 'exercises/04-mutex/mutex.ts'),
    );
    const learner = openCourse(root);
    const solved = learner.exercises.find((e) => e.id === '04-mutex')!;
    updateState(
      root,
      (state) =>
        (state.results[solved.id] = {
          hash: folderHash(learner, solved),
          passed: true,
          passedTests: 9,
          totalTests: 9,
          at: '',
        }),
    );
    const pages = buildSite(learner);
    expect(String(pages.get('lessons/04-mutex.html'))).toMatch(
      /id="exercise-04-mutex"[\s\S]*?status-passed/,
    );
    expect(String(pages.get('lessons/03-spinlock.html'))).toMatch(
      /id="exercise-03-spinlock"[\s\S]*?status-not-started/,
    );
    expect(String(pages.get('index.html'))).toMatch(
      /1 of 2 exercises pass[\s\S]*Next: exercise <strong>03-spinlock/,
    );
  });
});

describe('npm run course -- serve', () => {
  it('serves the site on 127.0.0.1 only, and nothing but the site', async () => {
    const server = await startSiteServer(course, 0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const home = await fetch(server.url);
      expect([home.status, home.headers.get('content-type')]).toEqual([
        200,
        'text/html; charset=utf-8',
      ]);
      expect(await home.text()).toContain('lessons/04-mutex.html');
      expect(
        (await fetch(new URL('assets/site.css', server.url))).headers.get('content-type'),
      ).toMatch(/^text\/css/);
      expect((await fetch(new URL('package.json', server.url))).status).toBe(404);
      expect((await fetch(new URL('lessons/04-mutex.md', server.url))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(repoRoot, '.vitest/site-screenshot.png');

describe('the site in headless Chromium', () => {
  // CI installs Chromium (.ci/run); a developer without it may skip, CI may not.
  // About 50 pages, each loaded and painted: minutes when the machine is busy grading.
  it('loads every page without console errors, with highlighted code and working links', {
    timeout: 600_000,
  }, async ({ skip }) => {
    if (!existsSync(CHROMIUM)) {
      const missing = `Chromium is not installed at ${CHROMIUM}: sudo scripts/setup-debian.sh installs it (Debian package chromium)`;
      // CI (.ci/run sets CI) must run it; a learner's machine may go without.
      if (process.env.CI) throw new Error(missing);
      skip(missing);
    }
    const { chromium } = await import('playwright-core');
    const server = await startSiteServer(course, 0);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }); // CI runs as root
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on(
        'console',
        (message) =>
          message.type() === 'error' && problems.push(`${page.url()}: console: ${message.text()}`),
      );
      page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
      page.on('requestfailed', (request) =>
        problems.push(`${request.url()}: ${request.failure()?.errorText}`),
      );
      page.on(
        'response',
        (response) =>
          response.status() >= 400 && problems.push(`${response.url()}: HTTP ${response.status()}`),
      );
      const linked = new Set<string>();
      const visited = new Set<string>();
      for (const path of [...site.keys()].filter((p) => p.endsWith('.html'))) {
        visited.add(new URL(path, server.url).href);
        await page.goto(new URL(path, server.url).href);
        for (const href of await page
          .locator('a[href]')
          .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) {
          if (href.startsWith(server.url)) linked.add(href.replace(/#.*$/, ''));
        }
        if (!lessons.map(outputPath).includes(path) || !html(path).includes('hljs-keyword'))
          continue;
        // Highlighted means painted: a keyword's colour differs from the code around it.
        const [keyword, code] = await Promise.all(
          ['code.hljs .hljs-keyword', 'code.hljs'].map((css) =>
            page
              .locator(css)
              .first()
              .evaluate((e) => getComputedStyle(e).color),
          ),
        );
        expect(keyword, `${path}: keywords are coloured`).not.toBe(code);
      }
      // Every page loaded above without an HTTP error; a link elsewhere must load too.
      for (const url of [...linked].filter((u) => !visited.has(u)))
        expect((await page.request.get(url)).status(), url).toBe(200);
      expect(problems).toEqual([]);
      // A Review's answer stays folded until its question is clicked.
      await page.goto(new URL('lessons/04-mutex.html', server.url).href);
      const question = page.locator('details').first();
      const answer = question.locator('p').first();
      expect(await answer.isVisible(), 'an answer before its question is clicked').toBe(false);
      await question.locator('summary').click();
      expect(await answer.isVisible(), 'the answer once its question is clicked').toBe(true);
      await question.locator('summary').click();
      mkdirSync(join(repoRoot, '.vitest'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: false });
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
