// Markdown to HTML for the lesson site: markdown-it (as the lesson tests read
// the same files), highlight.js for code, GitHub-style heading ids (so links
// written for GitHub, like README.md#environment-variables, work here too),
// and every relative link handed to the site to rewrite (.md → .html).
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import typescript from 'highlight.js/lib/languages/typescript';
import yaml from 'highlight.js/lib/languages/yaml';
import MarkdownIt, { type Env } from 'markdown-it';
import { detailsPlugin } from './details.ts';

// Only the languages the course shows: the whole library takes a second to load.
for (const [name, language] of Object.entries({ bash, c, cpp, javascript, json, typescript, yaml }))
  hljs.registerLanguage(name, language);

export interface Heading {
  level: number;
  text: string;
  id: string;
}

/** What one render needs from the site, and what it learns about the page. */
export interface RenderEnv extends Env {
  /** A relative link as written in the page → the link in the site. */
  rewriteLink(href: string): string;
  headings: Heading[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, -1, -2... for repeats. */
export function slugify(text: string, taken: Set<string>): string {
  const base = text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
  let id = base;
  for (let n = 1; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** Code highlighted by language; plain escaped text (diagrams, output) when the language is unknown. */
export function highlight(code: string, language: string): string {
  if (!language || !hljs.getLanguage(language)) return escapeHtml(code);
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}

// No raw HTML (a `<n>` in prose stays text); the Review's folded answers come from detailsPlugin.
const markdown = new MarkdownIt({ html: false, linkify: false }).use(detailsPlugin);

// Fences: ```ts fragment → language "ts"; the lesson-test flags after it are not shown.
// A ```text block (a diagram, a timeline, expected output) stays preformatted as written.
markdown.renderer.rules.fence = (tokens, idx) => {
  const [language = '', ...flags] = tokens[idx].info.trim().split(/\s+/);
  const known = hljs.getLanguage(language);
  const label = flags.includes('output') ? '<div class="fence-label">output</div>' : '';
  const classes = known
    ? `hljs language-${known.name?.toLowerCase() ?? language}`
    : `plain language-${escapeHtml(language || 'text')}`;
  return `${label}<pre class="${known ? 'code' : 'diagram'}"><code class="${classes}">${highlight(tokens[idx].content, language)}</code></pre>\n`;
};

markdown.core.ruler.push('heading_ids', (state) => {
  const env = state.env as unknown as RenderEnv;
  const taken = new Set<string>();
  state.tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const text = (state.tokens[i + 1].children ?? [])
      .filter((t) => t.type === 'text' || t.type === 'code_inline')
      .map((t) => t.content)
      .join('');
    const id = slugify(text, taken);
    token.attrSet('id', id);
    env.headings.push({ level: Number(token.tag.slice(1)), text, id });
  });
});

markdown.renderer.rules.heading_close = (tokens, idx) => {
  const id = String(tokens[idx - 2].attrGet('id') ?? '');
  return ` <a class="anchor" href="#${escapeHtml(id)}" aria-label="link to this section">#</a></${tokens[idx].tag}>\n`;
};

const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = String(tokens[idx].attrGet('href') ?? '');
  tokens[idx].attrSet('href', (env as RenderEnv).rewriteLink(href));
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(
  source: string,
  rewriteLink: (href: string) => string,
): { html: string; headings: Heading[] } {
  const env: RenderEnv = { rewriteLink, headings: [] };
  const html = markdown.render(source, env);
  return { html, headings: env.headings };
}
