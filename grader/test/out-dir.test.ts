// Result files: only the grader's, written atomically once grading has ended;
// nothing a submission put in the folder survives as one.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareOut, replaceFolder, writeAtomically, writeOut } from '../src/out-dir.ts';

let folders: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ipcc-out-test-'));
  folders.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  folders = [];
});

describe('--out', () => {
  it('clears every result-file name before grading, and keeps files that are not results', () => {
    const out = folder();
    writeFileSync(join(out, 'gradescope.json'), '{"score": 999}');
    writeFileSync(join(out, 'junit.xml'), '<forged/>');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    prepareOut(out);
    expect(readdirSync(out).sort()).toEqual(['notes.txt']);
  });

  it('replaces a forgery planted during grading, and removes result names it did not ask for', () => {
    const out = folder();
    const prepared = prepareOut(out);
    writeFileSync(join(out, 'gradescope.json'), '{"score": 999}');
    writeFileSync(join(out, 'results.json'), '{"score": 999}');
    writeOut(prepared, new Map([['gradescope.json', '{"score": 3}\n']]));
    expect(readdirSync(out)).toEqual(['gradescope.json']);
    expect(readFileSync(join(out, 'gradescope.json'), 'utf8')).toBe('{"score": 3}\n');
  });

  it('replaces a planted link instead of writing through it', () => {
    const out = folder();
    const elsewhere = join(folder(), 'victim.txt');
    writeFileSync(elsewhere, 'untouched');
    const prepared = prepareOut(out);
    symlinkSync(elsewhere, join(out, 'summary.md'));
    writeOut(prepared, new Map([['summary.md', '# grade\n']]));
    expect(readFileSync(elsewhere, 'utf8')).toBe('untouched');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toBe('# grade\n');
  });

  it('writes nothing into a folder swapped for another (or a link) during grading', () => {
    const parent = folder();
    const out = join(parent, 'out');
    const prepared = prepareOut(out);
    rmSync(out, { recursive: true });
    const elsewhere = folder();
    symlinkSync(elsewhere, out);
    expect(() => writeOut(prepared, new Map([['results.json', '{}']]))).toThrow(
      /not a folder|was replaced during grading/,
    );
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('leaves no temporary file behind', () => {
    const out = folder();
    writeAtomically(out, 'results.json', '{}');
    expect(readdirSync(out)).toEqual(['results.json']);
  });
});

describe('a batch reports folder', () => {
  it('is replaced whole: nothing that was in it survives', () => {
    const parent = folder();
    const reports = join(parent, 'gradebook-reports');
    mkdirSync(reports);
    writeFileSync(join(reports, 'zed.results.json'), '{"score": 999}');
    writeFileSync(join(reports, 'alice.results.json'), '{"score": 999}');
    replaceFolder(reports, new Map([['alice.results.json', '{"score": 2}']]));
    expect(readdirSync(reports)).toEqual(['alice.results.json']);
    expect(readFileSync(join(reports, 'alice.results.json'), 'utf8')).toBe('{"score": 2}');
    expect(readdirSync(parent)).toEqual(['gradebook-reports']);
    expect(existsSync(join(parent, 'gradebook-reports', 'zed.results.json'))).toBe(false);
  });
});
