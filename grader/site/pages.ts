// Which files become the site, and where each lands. The site mirrors the
// course's folders (lessons/04-mutex.md → lessons/04-mutex.html), so a relative
// link written between two markdown files stays right once .md becomes .html.
// It holds the lessons (lessons/*.md but the authors' README), each exercise's
// task and hints, and everything they link to, followed link by link: markdown is
// rendered, images copied, and source files shown highlighted (x.ts → x.ts.html).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { isRelativeLink, parseLesson } from '../../lessons/tools/code-blocks.ts';
import type { Course } from '../course/course-root.ts';

export type PageKind = 'lesson' | 'markdown' | 'hints' | 'code' | 'asset';

export interface SitePage {
  /** The file it is made from, relative to the course root, with / separators. */
  source: string;
  /** Where it lands in the site, relative to the site root. */
  output: string;
  kind: PageKind;
}

const ASSET = /\.(png|jpe?g|gif|svg|webp)$/i;

/** The lessons in course order: the NN- prefix of their names is that order. */
export function lessonSources(course: Course): string[] {
  return readdirSync(join(course.root, 'lessons'))
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .sort()
    .map((name) => `lessons/${name}`);
}

export function outputPath(source: string): string {
  if (ASSET.test(source)) return source;
  return source.endsWith('.md') ? source.replace(/\.md$/, '.html') : `${source}.html`;
}

/** The course file a relative link in `from` leads to (a folder leads to its README.md), if any. */
export function linkTarget(course: Course, from: string, href: string): string | undefined {
  if (!isRelativeLink(href)) return undefined;
  const path = decodeURI(href.replace(/[?#].*$/, ''));
  let target = path === '' ? from : posix.normalize(posix.join(posix.dirname(from), path));
  if (target.startsWith('../') || posix.isAbsolute(target)) return undefined; // outside the course
  const file = join(course.root, target);
  if (!existsSync(file)) return undefined;
  if (statSync(file).isDirectory()) {
    target = posix.join(target, 'README.md');
    if (!existsSync(join(course.root, target))) return undefined;
  }
  return target;
}

function kindOf(source: string, lessons: Set<string>, course: Course): PageKind | undefined {
  if (lessons.has(source)) return 'lesson';
  if (ASSET.test(source)) return 'asset';
  if (/^exercises\/[^/]+\/hints\.md$/.test(source)) return 'hints';
  if (source.endsWith('.md')) return 'markdown';
  return readFileSync(join(course.root, source)).includes(0) ? undefined : 'code'; // binary: left as a plain link
}

/** Every page of the site, keyed by source, found from the lessons and tasks outwards. */
export function discoverPages(course: Course): Map<string, SitePage> {
  const lessons = lessonSources(course);
  const tasks = course.exercises
    .flatMap((e) => [`exercises/${e.id}/README.md`, `exercises/${e.id}/hints.md`])
    .filter((path) => existsSync(join(course.root, path)));
  const pages = new Map<string, SitePage>();
  const queue = [...lessons, ...tasks];
  const lessonSet = new Set(lessons);
  while (queue.length > 0) {
    const source = queue.shift()!;
    if (pages.has(source)) continue;
    const kind = kindOf(source, lessonSet, course);
    if (!kind) continue;
    pages.set(source, { source, output: outputPath(source), kind });
    if (!source.endsWith('.md')) continue;
    for (const link of parseLesson(readFileSync(join(course.root, source), 'utf8')).links) {
      const target = linkTarget(course, source, link.href);
      if (target && !pages.has(target)) queue.push(target);
    }
  }
  return pages;
}
