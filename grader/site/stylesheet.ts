// The site's one stylesheet, from local files only (no web fonts, no CDN): the
// layout (site.css) and highlight.js's GitHub themes, dark when the system is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const theme = (name: string) =>
  readFileSync(require.resolve(`highlight.js/styles/${name}.css`), 'utf8');

export function siteStylesheet(): string {
  const layout = readFileSync(new URL('./site.css', import.meta.url), 'utf8');
  return `${layout}\n/* highlight.js: github */\n${theme('github')}\n@media (prefers-color-scheme: dark) {\n${theme('github-dark')}\n}\n`;
}
