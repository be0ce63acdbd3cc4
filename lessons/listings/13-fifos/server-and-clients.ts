// Starts the FIFO server and three clients at once, and prints what each said,
// in a fixed order (lessons/13-fifos.md).
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { mkfifo, startProcess } from '@ipc-course/shim';

const server = new URL('./server.ts', import.meta.url);
const client = new URL('./client.ts', import.meta.url);
const dir = mkdtempSync(path.join(tmpdir(), 'ipcc-fifo-'));

async function outputOf(child: ChildProcess): Promise<string> {
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`a process failed with exit code ${code}`);
  return output.trim();
}

try {
  const requests = path.join(dir, 'requests'); // the one name every client knows
  mkfifo(requests);
  const words = ['apple', 'banana', 'cherry'];
  const started = [
    startProcess(server, [requests, String(words.length)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  ];
  for (const word of words)
    started.push(startProcess(client, [requests, word], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const [serverSays, ...clientsSay] = await Promise.all(started.map(outputOf));
  console.log([...clientsSay, serverSays].join('\n'));
  console.log(`left in the directory: ${readdirSync(dir).join(', ')}`);
} finally {
  rmSync(dir, { recursive: true });
}
