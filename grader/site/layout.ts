// The HTML around every page: the course's lessons on the left (with each
// exercise's status), the page's own headings on the right, previous / next
// at the bottom. Every link is relative, so a static copy opens from disk.
import { posix } from 'node:path';
import type { Progress } from '../course/progress.ts';
import { escapeHtml, type Heading } from './markdown.ts';

export interface ExerciseView {
  id: string;
  title: string;
  progress: Progress;
  /** "4 of 9 tests pass", when a failing run is cached. */
  detail?: string;
  /** Site paths of the task and hints pages, when they exist. */
  task?: string;
  hints?: string;
}

export interface LessonLink {
  title: string;
  output: string;
  exercises: ExerciseView[];
}

export interface PageView {
  title: string;
  /** The page's own HTML. */
  body: string;
  /** Where the page lands in the site: every link is made relative to it. */
  output: string;
  courseTitle: string;
  lessons: LessonLink[];
  headings?: Heading[];
  /** Lesson pages: the lesson's exercises, and its neighbours in course order. */
  exercises?: ExerciseView[];
  previous?: LessonLink;
  next?: LessonLink;
}

export function relativeLink(from: string, to: string): string {
  return posix.relative(posix.dirname(from), to) || posix.basename(to);
}

const MARKS: Record<Progress, { mark: string; label: string }> = {
  passed: { mark: '✓', label: 'passed' },
  failing: { mark: '✗', label: 'failing' },
  'not started': { mark: '·', label: 'not started' },
  unchecked: { mark: '?', label: 'not checked yet' },
};

export function statusBadge(exercise: ExerciseView): string {
  const { mark, label } = MARKS[exercise.progress];
  const detail = exercise.detail ? ` (${escapeHtml(exercise.detail)})` : '';
  return `<span class="status status-${exercise.progress.replace(' ', '-')}" title="${label}">${mark} ${label}${detail}</span>`;
}

function exerciseBox(exercise: ExerciseView, from: string): string {
  const link = (to: string | undefined, text: string) =>
    to ? `<a href="${relativeLink(from, to)}">${text}</a>` : text;
  return `<section class="exercise" id="exercise-${exercise.id}">
<p class="exercise-title">Exercise ${escapeHtml(exercise.id)}: ${link(exercise.task, escapeHtml(exercise.title))} ${statusBadge(exercise)}</p>
<p>${link(exercise.task, 'The task')}${exercise.hints ? ` · ${link(exercise.hints, 'hints')}` : ''} · check your work:</p>
<pre class="diagram"><code>npm run course -- verify ${escapeHtml(exercise.id)}   # or: npm run course -- watch</code></pre>
</section>`;
}

function sidebar(view: PageView): string {
  const items = view.lessons.map((lesson) => {
    const current = lesson.output === view.output ? ' class="current" aria-current="page"' : '';
    const marks = lesson.exercises
      .map(
        (e) =>
          ` <span class="status status-${e.progress.replace(' ', '-')}" title="${escapeHtml(e.id)}: ${MARKS[e.progress].label}">${MARKS[e.progress].mark}</span>`,
      )
      .join('');
    return `<li><a href="${relativeLink(view.output, lesson.output)}"${current}>${escapeHtml(lesson.title)}</a>${marks}</li>`;
  });
  return `<nav class="course" aria-label="lessons"><p><a href="${relativeLink(view.output, 'index.html')}">${escapeHtml(view.courseTitle)}</a></p><ol>${items.join('')}</ol></nav>`;
}

function tableOfContents(headings: Heading[] = []): string {
  const shown = headings.filter((h) => h.level === 2 || h.level === 3);
  if (shown.length === 0) return '';
  const items = shown.map(
    (h) =>
      `<li class="toc-h${h.level}"><a href="#${escapeHtml(h.id)}">${escapeHtml(h.text)}</a></li>`,
  );
  return `<nav class="toc" aria-label="on this page"><p>On this page</p><ul>${items.join('')}</ul></nav>`;
}

function neighbours(view: PageView): string {
  if (!view.previous && !view.next) return '';
  const link = (lesson: LessonLink | undefined, rel: string, text: string) =>
    lesson
      ? `<a rel="${rel}" class="${rel}" href="${relativeLink(view.output, lesson.output)}">${text} ${escapeHtml(lesson.title)}</a>`
      : '<span></span>';
  return `<nav class="neighbours" aria-label="previous and next lessons">${link(view.previous, 'prev', '←')}${link(view.next, 'next', '→')}</nav>`;
}

export function layout(view: PageView): string {
  const exercises = (view.exercises ?? []).map((e) => exerciseBox(e, view.output)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(view.title)} · ipc-course</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${relativeLink(view.output, 'assets/site.css')}">
</head>
<body>
${sidebar(view)}
<main>
${view.body}
${exercises}
${neighbours(view)}
</main>
${tableOfContents(view.headings)}
</body>
</html>
`;
}
