// The lesson site in memory: every page of pages.ts rendered and laid out,
// keyed by its path in the site. `serve` builds it afresh for each page asked
// for (so edits and new test results show on reload); `build` writes it out.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { Course } from '../course/course-root.ts';
import { parseHints } from '../course/hints.ts';
import { knownProgress, loadStarterHashes } from '../course/progress.ts';
import { loadState } from '../course/state.ts';
import { layout, relativeLink, type ExerciseView, type LessonLink } from './layout.ts';
import { escapeHtml, highlight, renderMarkdown, type Heading } from './markdown.ts';
import { discoverPages, lessonSources, linkTarget, type SitePage } from './pages.ts';
import { homePage } from './home.ts';
import { siteStylesheet } from './stylesheet.ts';

interface Rendered {
  title: string;
  body: string;
  headings: Heading[];
}

const LANGUAGES: Record<string, string> = {
  ts: 'typescript',
  mts: 'typescript',
  js: 'javascript',
  mjs: 'javascript',
  json: 'json',
  yml: 'yaml',
  yaml: 'yaml',
  sh: 'bash',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  hpp: 'cpp',
  gyp: 'json',
};

function render(course: Course, page: SitePage, pages: Map<string, SitePage>): Rendered {
  const text = readFileSync(join(course.root, page.source), 'utf8');
  const rewrite = (href: string) => {
    const target = pages.get(linkTarget(course, page.source, href) ?? '');
    return target
      ? `${relativeLink(page.output, target.output)}${href.match(/#.*$/)?.[0] ?? ''}`
      : href;
  };
  if (page.kind === 'code') {
    const language = LANGUAGES[posix.extname(page.source).slice(1)] ?? '';
    const code = `<pre class="code"><code class="hljs language-${language || 'text'}">${highlight(text, language)}</code></pre>`;
    return {
      title: page.source,
      body: `<h1><code>${escapeHtml(page.source)}</code></h1>\n${code}`,
      headings: [],
    };
  }
  if (page.kind === 'hints') {
    // Each hint folded, so that reading one does not show the next (as `npm run course -- hint`).
    const intro = renderMarkdown(text.split(/^## Hint /m)[0], rewrite);
    const hints = parseHints(text).map(
      (hint, i) =>
        `<details class="hint"><summary>Hint ${i + 1}</summary>\n${renderMarkdown(hint, rewrite).html}</details>`,
    );
    return {
      title: intro.headings[0]?.text ?? page.source,
      body: `${intro.html}\n${hints.join('\n')}`,
      headings: [],
    };
  }
  const { html, headings } = renderMarkdown(text, rewrite);
  return {
    title: headings.find((h) => h.level === 1)?.text ?? posix.basename(page.source),
    body: html,
    headings,
  };
}

function exerciseViews(course: Course, pages: Map<string, SitePage>): Map<string, ExerciseView> {
  const state = loadState(course.root);
  const starters = loadStarterHashes();
  return new Map(
    course.exercises.map((e) => {
      const progress = knownProgress(course, e, state, starters);
      const cached = state.results[e.id];
      const detail =
        progress === 'failing' && cached
          ? `${cached.passedTests} of ${cached.totalTests} tests pass`
          : undefined;
      const view: ExerciseView = {
        id: e.id,
        title: e.title,
        progress,
        detail,
        task: pages.get(`exercises/${e.id}/README.md`)?.output,
        hints: pages.get(`exercises/${e.id}/hints.md`)?.output,
      };
      return [e.id, view];
    }),
  );
}

/** Site path → contents. */
export function buildSite(course: Course): Map<string, string | Buffer> {
  const pages = discoverPages(course);
  const rendered = new Map(
    [...pages.values()]
      .filter((p) => p.kind !== 'asset')
      .map((p) => [p.source, render(course, p, pages)]),
  );
  const exercises = exerciseViews(course, pages);
  const lessons: LessonLink[] = lessonSources(course).map((source) => ({
    title: rendered.get(source)!.title,
    output: pages.get(source)!.output,
    exercises: course.exercises.filter((e) => e.lesson === source).map((e) => exercises.get(e.id)!),
  }));
  const courseTitle = course.title;
  const site = new Map<string, string | Buffer>([['assets/site.css', siteStylesheet()]]);
  for (const page of pages.values()) {
    if (page.kind === 'asset') {
      site.set(page.output, readFileSync(join(course.root, page.source)));
      continue;
    }
    const { title, body, headings } = rendered.get(page.source)!;
    const at = lessons.findIndex((lesson) => lesson.output === page.output);
    const lesson = at >= 0 ? lessons[at] : undefined;
    site.set(
      page.output,
      layout({
        title,
        body,
        headings,
        output: page.output,
        courseTitle,
        lessons,
        exercises: lesson?.exercises,
        previous: lesson && lessons[at - 1],
        next: lesson && lessons[at + 1],
      }),
    );
  }
  site.set(
    'index.html',
    layout({
      title: courseTitle,
      body: homePage(course, lessons),
      output: 'index.html',
      courseTitle,
      lessons,
    }),
  );
  return site;
}

/** Writes the site into outDir; returns how many files. */
export function writeSite(course: Course, outDir: string): number {
  const site = buildSite(course);
  for (const [path, contents] of site) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), contents);
  }
  return site.size;
}
