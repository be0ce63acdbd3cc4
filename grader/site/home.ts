// The site's front page: the lessons in course order with each exercise's
// status, the exercise to do next, and the commands of the learner's loop.
import type { Course } from '../course/course-root.ts';
import { relativeLink, statusBadge, type LessonLink } from './layout.ts';
import { escapeHtml } from './markdown.ts';

export function homePage(course: Course, lessons: LessonLink[]): string {
  const exercises = lessons.flatMap((lesson) => lesson.exercises);
  const passed = exercises.filter((e) => e.progress === 'passed').length;
  const next = course.exercises
    .map((e) => exercises.find((view) => view.id === e.id))
    .find((view) => view && view.progress !== 'passed');
  const items = lessons.map((lesson) => {
    const tasks = lesson.exercises.map((e) => {
      const title = e.task
        ? `<a href="${relativeLink('index.html', e.task)}">${escapeHtml(e.title)}</a>`
        : escapeHtml(e.title);
      return `<li>Exercise ${escapeHtml(e.id)}: ${title} ${statusBadge(e)}</li>`;
    });
    return `<li><a href="${relativeLink('index.html', lesson.output)}">${escapeHtml(lesson.title)}</a>${tasks.length ? `<ul>${tasks.join('')}</ul>` : ''}</li>`;
  });
  const nextLine = next
    ? `<p class="next">Next: exercise <strong>${escapeHtml(next.id)}</strong>, ${escapeHtml(next.title)}.</p>`
    : '<p class="next">Every exercise passes its visible tests. Well done!</p>';
  return `<h1>${escapeHtml(course.title)}</h1>
<p>Read a lesson, then build its primitive in the exercise's starter file. ${passed} of ${exercises.length} exercises pass their visible tests.</p>
${nextLine}
<h2 id="lessons">Lessons</h2>
<ol class="lessons">${items.join('\n')}</ol>
<h2 id="commands">Your loop, in a terminal</h2>
<pre class="diagram"><code>npm run course -- status        where you stand, and what is next
npm run course -- verify ID     the visible tests of one exercise
npm run course -- hint ID       one more hint each time
npm run course -- watch         re-run the tests on every save
npm run grade -- exercises      the hidden tests, as your instructor grades</code></pre>
<p>This page shows the status from your last run; reload it after one.</p>`;
}
