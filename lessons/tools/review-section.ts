// The Review section that ends every lesson: 3 to 6 questions, each a
// <details> block whose <summary> is the question and whose body is its
// answer (the site folds it: grader/site/details.ts). Conventions: lessons/README.md.
import MarkdownIt from 'markdown-it';
import { detailsPlugin } from '../../grader/site/details.ts';

export const MIN_QUESTIONS = 3;
export const MAX_QUESTIONS = 6;
const markdown = new MarkdownIt({ html: false }).use(detailsPlugin);

/** What is wrong with a lesson's Review section: one message per problem, with its line. */
export function reviewProblems(source: string): string[] {
  const tokens = markdown.parse(source, {});
  const lineOf = (i: number) => (tokens[i].map?.[0] ?? 0) + 1;
  const h2 = tokens.flatMap((t, i) => (t.type === 'heading_open' && t.tag === 'h2' ? [i] : []));
  const last = h2.at(-1);
  if (last === undefined || tokens[last + 1].content.trim() !== 'Review')
    return ['the last ## section must be "## Review"'];
  const problems: string[] = [];
  let questions = 0;
  let i = last + 3; // past heading_open, inline, heading_close
  while (i < tokens.length) {
    const token = tokens[i];
    if (token.type === 'heading_open') {
      problems.push(`line ${lineOf(i)}: no heading inside the Review; one <details> per question`);
      i++;
    } else if (token.type === 'details_open') {
      const start = i;
      if (tokens[i + 1]?.type !== 'summary_open') {
        problems.push(
          `line ${lineOf(start)}: <details> must start with <summary>the question</summary>`,
        );
      } else if (!tokens[i + 2].content.trim().endsWith('?')) {
        problems.push(`line ${lineOf(start)}: the <summary> must be a question, ending with "?"`);
      }
      let depth = 0;
      let answerBlocks = 0;
      for (; i < tokens.length; i++) {
        if (tokens[i].type === 'details_open') depth++;
        else if (tokens[i].type === 'details_close' && --depth === 0) break;
        else if (tokens[i].type === 'inline' && tokens[i - 1].type !== 'summary_open')
          if (tokens[i].content.trim() !== '') answerBlocks++;
      }
      if (i === tokens.length) problems.push(`line ${lineOf(start)}: <details> is never closed`);
      else if (answerBlocks === 0)
        problems.push(
          `line ${lineOf(start)}: a question without an answer (write it after the <summary>)`,
        );
      questions++;
      i++;
    } else {
      if (token.type === 'inline' && /\?\s*$/.test(token.content))
        problems.push(
          `line ${lineOf(i)}: a question outside <details>, so without a folded answer`,
        );
      i++;
    }
  }
  if (questions < MIN_QUESTIONS || questions > MAX_QUESTIONS)
    problems.push(`${questions} questions; a Review has ${MIN_QUESTIONS} to ${MAX_QUESTIONS}`);
  return problems;
}
