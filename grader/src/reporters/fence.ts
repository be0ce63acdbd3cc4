// A Markdown code block that no text inside can close: its fence is longer
// than any run of backticks in the text.

export function fenced(text: string, language = 'text'): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
