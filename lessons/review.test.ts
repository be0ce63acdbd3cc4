// Every lesson ends with a `## Review` section of answered questions: a
// question without an answer fails, and so does a lesson without a Review.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_QUESTIONS, MIN_QUESTIONS, reviewProblems } from './tools/review-section.ts';

const lessonsDir = fileURLToPath(new URL('.', import.meta.url));
const lessonNames = readdirSync(lessonsDir)
  .filter((file) => file.endsWith('.md') && file !== 'README.md')
  .sort();

describe('every lesson ends with a Review: questions, each with a folded answer', () => {
  it('finds a missing answer, a missing Review and a question outside <details>', () => {
    const q = (n: number, answer = `Answer ${n}.\n`) =>
      `<details>\n<summary>${n}. Question?</summary>\n\n${answer}\n</details>\n`;
    const good = `# L\n\n## Review\n\n${q(1)}\n${q(2)}\n${q(3)}`;
    expect(reviewProblems(good)).toEqual([]);
    expect(reviewProblems(`# L\n\n## Review\n\n${q(1)}\n${q(2, '')}\n${q(3)}`)).toEqual([
      expect.stringMatching(/a question without an answer/),
    ]);
    expect(reviewProblems('# L\n\n## Try it\n\nWhy?\n')).toEqual([
      'the last ## section must be "## Review"',
    ]);
    expect(reviewProblems(`${good}\nAnd why?\n`)).toEqual([
      expect.stringMatching(/a question outside <details>/),
    ]);
    expect(reviewProblems(`# L\n\n## Review\n\n${q(1)}\n${q(2)}`)).toEqual([
      '2 questions; a Review has 3 to 6',
    ]);
  });

  for (const name of lessonNames)
    it(`${name} ends with a Review of ${MIN_QUESTIONS}-${MAX_QUESTIONS} answered questions`, () => {
      const source = readFileSync(path.join(lessonsDir, name), 'utf8');
      expect(reviewProblems(source), `lessons/${name}`).toEqual([]);
    });
});
