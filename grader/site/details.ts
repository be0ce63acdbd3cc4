// Folded answers for the lesson site: a markdown-it plugin that renders the
// three lines a lesson's Review section uses, and no other HTML:
//
//   <details>
//   <summary>1. The question?</summary>
//
//   The answer, in markdown.
//
//   </details>
//
// The site keeps markdown-it's `html: false`, so a stray `<n>` in prose stays
// text; only these lines, each alone on its line, become elements. The summary
// is parsed as inline markdown, the answer as ordinary blocks. The browser
// keeps a <details> folded until the reader opens it.
import type { MarkdownIt, StateBlock } from 'markdown-it';

const OPEN = /^<details>$/;
const CLOSE = /^<\/details>$/;
const SUMMARY = /^<summary>(.*)<\/summary>$/;

function detailsRule(
  state: StateBlock,
  startLine: number,
  _endLine: number,
  silent: boolean,
): boolean {
  const start = state.bMarks[startLine] + state.tShift[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false; // indented code, not a tag
  const line = state.src.slice(start, state.eMarks[startLine]).trim();
  const summary = SUMMARY.exec(line);
  if (!OPEN.test(line) && !CLOSE.test(line) && !summary) return false;
  if (silent) return true;
  const map: [number, number] = [startLine, startLine + 1];
  if (OPEN.test(line))
    Object.assign(state.push('details_open', 'details', 1), { map, block: true });
  else if (CLOSE.test(line))
    Object.assign(state.push('details_close', 'details', -1), { map, block: true });
  else {
    Object.assign(state.push('summary_open', 'summary', 1), { map, block: true });
    Object.assign(state.push('inline', '', 0), { content: summary![1], map, children: [] });
    state.push('summary_close', 'summary', -1);
  }
  state.line = startLine + 1;
  return true;
}

export function detailsPlugin(markdown: MarkdownIt): void {
  // Before paragraphs, and allowed to end one: "</details>" right after an answer's last line closes it.
  markdown.block.ruler.before('paragraph', 'details', detailsRule, { alt: ['paragraph'] });
}
