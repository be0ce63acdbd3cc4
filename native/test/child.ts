// Test helpers: run a fixture as a child process or worker and wait for it.
import type { ChildProcess } from 'node:child_process';
import { startProcess } from '@ipc-course/shim';

export const fixture = (file: string): URL => new URL(`./fixtures/${file}`, import.meta.url);

export function runChild(
  file: string,
  args: string[],
): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string }> } {
  const child = startProcess(fixture(file), args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
  const done = new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout }));
  });
  return { child, done };
}
