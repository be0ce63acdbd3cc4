// One `NN-topic` key per topic (issue 16): its lesson is lessons/NN-topic.md, and
// its exercise, solution, hidden suite and corpus use the same key. Checked here:
// no two lessons share a number; every exercise has the lesson of its own name;
// each lesson's title carries its number, and its Next/Previous footer leads to
// its neighbours in number order; lesson 01's map lists every lesson once, in
// that order. New topics are appended after the last number. Conventions:
// lessons/README.md.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { course, lessonNames, lessonsDir } from './tools/course-files.ts';

const numberOf = (name: string) => name.slice(0, 2);
const read = (name: string) => readFileSync(path.join(lessonsDir, name), 'utf8');

/** The lesson files (NN-topic.md, in this folder) a piece of markdown links to, in order. */
function lessonLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\((\d\d-[a-z0-9-]+\.md)(?:#[^)]*)?\)/g)].map((m) => m[1]);
}

describe('one NN-topic key per topic', () => {
  it('every lesson is named NN-topic.md', () => {
    expect(lessonNames.filter((name) => !/^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*\.md$/.test(name))).toEqual(
      [],
    );
  });

  it('no two lessons share a number', () => {
    const byNumber = new Map<string, string[]>();
    for (const name of lessonNames)
      byNumber.set(numberOf(name), [...(byNumber.get(numberOf(name)) ?? []), name]);
    const shared = [...byNumber.values()].filter((names) => names.length > 1);
    expect(shared, 'lessons with the same number: renumber the later topic').toEqual([]);
  });

  it('every exercise id has the lesson of the same name, lessons/<id>.md', () => {
    const problems = course.exercises
      .filter(
        ({ id, lesson }) => lesson !== `lessons/${id}.md` || !lessonNames.includes(`${id}.md`),
      )
      .map(({ id, lesson }) => `exercise ${id}: lesson ${lesson}, expected lessons/${id}.md`);
    expect(problems).toEqual([]);
  });

  it('every lesson title starts with its number: "# NN · ..."', () => {
    const wrong = lessonNames
      .filter((name) => !read(name).startsWith(`# ${numberOf(name)} · `))
      .map((name) => `${name}: ${read(name).split('\n')[0]}`);
    expect(wrong).toEqual([]);
  });

  it("each lesson's Next/Previous footer leads to the lessons after and before it", () => {
    const problems: string[] = [];
    lessonNames.forEach((name, i) => {
      const text = read(name);
      const next = text.match(/^\*\*Next:\*\*(.*?)(?:\*\*Previous:\*\*|$)/m);
      const previous = text.match(/\*\*Previous:\*\*(.*)$/m);
      const wantNext = lessonNames[i + 1];
      const wantPrevious = lessonNames[i - 1];
      const gotNext = next ? lessonLinks(next[1]).at(-1) : undefined;
      const gotPrevious = previous ? lessonLinks(previous[1])[0] : undefined;
      if (gotNext !== wantNext) problems.push(`${name}: Next is ${gotNext}, expected ${wantNext}`);
      if (gotPrevious !== wantPrevious)
        problems.push(`${name}: Previous is ${gotPrevious}, expected ${wantPrevious}`);
    });
    expect(problems).toEqual([]);
  });

  it("lesson 01's map links every lesson once, in number order", () => {
    const [first] = lessonNames;
    expect(first).toMatch(/^01-/);
    const text = read(first);
    const start = text.indexOf('## The map of the course');
    expect(start, `${first} has a "## The map of the course" section`).toBeGreaterThan(-1);
    const end = text.indexOf('\n## ', start + 1);
    const map = text.slice(start, end === -1 ? undefined : end);
    const rows = map.split('\n').filter((line) => line.startsWith('| ['));
    const linked = rows.map((row) => lessonLinks(row)[0]);
    expect(linked).toEqual(lessonNames);
    const titles = rows.map((row) => row.match(/^\| \[(\d\d) · /)?.[1]);
    expect(titles, 'each row is titled with its lesson number').toEqual(lessonNames.map(numberOf));
  });
});
