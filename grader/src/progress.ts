// A batch's progress on stderr. On a terminal: one bar, redrawn in place, with
// what each submission being graded is doing, and a line kept per finished
// submission. Elsewhere (CI logs, files): one plain line per event, no escapes.
import { showControls } from './reporters/feedback-text.ts';

export interface BatchProgress {
  update(name: string, activity: string): void;
  finished(name: string, summary: string): void;
  close(): void;
}

const BAR_WIDTH = 24;

export function batchProgress(
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): BatchProgress {
  const tty = stream.isTTY === true;
  const active = new Map<string, string>();
  let done = 0;
  const clearLine = '\r\x1b[2K';
  const drawBar = () => {
    const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
    const now = [...active].map(([name, activity]) => `${name}: ${activity}`).join(' · ');
    const line = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${done}/${total}  ${now}`;
    stream.write(`${clearLine}${line.slice(0, (stream.columns || 80) - 1)}`);
  };
  const say = (name: string, text: string) =>
    `[${done}/${total}] ${showControls(name)}: ${showControls(text)}`;
  return {
    update(name, activity) {
      active.set(showControls(name), showControls(activity));
      if (tty) drawBar();
      else stream.write(`${say(name, activity)}\n`);
    },
    finished(name, summary) {
      active.delete(showControls(name));
      done++;
      stream.write(tty ? `${clearLine}${say(name, summary)}\n` : `${say(name, summary)}\n`);
      if (tty) drawBar();
    },
    close() {
      if (tty) stream.write(`${clearLine}`);
    },
  };
}
