// Runs an extracted lesson block the way a learner would, and type-checks many
// blocks with one tsc call (TypeScript 7's tsc has no JS API: we read its output).
import { spawn, execFile } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const register = path.join(repoRoot, 'native/runtime/register.mjs');
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');

export interface RunResult {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** `node --import native/runtime/register.mjs file`: kills it and everything it started after timeoutMs. */
export function runProgram(file: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // detached: the program leads its own process group, so a timeout can end
    // its children too (startProcess), not only the program itself.
    const child = spawn(process.execPath, ['--import', register, file], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ pid: child.pid!, code, signal, stdout, stderr, timedOut });
    });
  });
}

/**
 * Removes the segments a program left in /dev/shm under its own pid (the
 * course names them ipcc-<pid>-<label>) and returns their names.
 */
export function removeLeakedSegments(pid: number): string[] {
  let names: string[] = [];
  try {
    names = readdirSync('/dev/shm').filter((entry) => entry.startsWith(`ipcc-${pid}-`));
  } catch {
    return []; // no /dev/shm here: nothing to check
  }
  for (const entry of names) rmSync(path.join('/dev/shm', entry), { force: true });
  return names;
}

export interface Diagnostic {
  line: number;
  column: number;
  code: string;
  message: string;
}

const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;

/**
 * Type-checks `files` together with the repository's compiler options (strict,
 * the `@ipc-course/shim` path), through a temporary tsconfig in `configDir`.
 * Returns the errors per absolute file path; files without errors are absent.
 */
export async function typeCheck(
  files: string[],
  configDir: string,
): Promise<Map<string, Diagnostic[]>> {
  const config = path.join(configDir, `.tsconfig.blocks.${process.pid}.json`);
  const base = `./${path.relative(configDir, path.join(repoRoot, 'tsconfig.json'))}`;
  // moduleDetection force: a block without imports is still a module of its own,
  // so two blocks may declare the same names.
  const compilerOptions = { moduleDetection: 'force' };
  writeFileSync(
    config,
    JSON.stringify({ extends: base, compilerOptions, files, include: [] }, null, 2),
  );
  try {
    const output = await new Promise<string>((resolve) => {
      execFile(
        process.execPath,
        [tsc, '-p', config, '--pretty', 'false'],
        { cwd: repoRoot, maxBuffer: 16 << 20 },
        (error, stdout, stderr) =>
          resolve(stdout + stderr + (error && !stdout && !stderr ? String(error) : '')),
      );
    });
    const found = new Map<string, Diagnostic[]>();
    let last: Diagnostic | undefined;
    for (const text of output.split('\n')) {
      const match = DIAGNOSTIC.exec(text);
      if (match) {
        const [, file, line, column, code, message] = match;
        last = { line: Number(line), column: Number(column), code, message };
        const key = path.resolve(repoRoot, file);
        found.set(key, [...(found.get(key) ?? []), last]);
      } else if (last && /^\s+\S/.test(text)) {
        last.message += `\n${text}`; // a continuation of the message above
      } else if (text.trim() !== '') {
        last = undefined;
        if (/error TS\d+/.test(text))
          throw new Error(`tsc failed before checking the blocks:\n${output}`);
      }
    }
    return found;
  } finally {
    rmSync(config, { force: true });
  }
}
