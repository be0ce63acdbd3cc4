// junit.xml is what CI test panels read, and they read Ant's format: it must
// validate against Ant's JUnit schema (schemas/JUnit.xsd), checked by xmllint.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatJunit } from '../src/reporters/junit.ts';
import { failedReport, mixedReport } from './fixtures/reports.ts';

const schema = fileURLToPath(new URL('./schemas/JUnit.xsd', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ipcc-junit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const xmllintMissing = spawnSync('xmllint', ['--version']).error !== undefined;

/** xmllint's verdict on one document: '' when it validates, else its complaints. */
function validate(name: string, xml: string): string {
  const file = join(scratch, name);
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--schema', schema, file], { stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  }
}

describe('junit.xml', () => {
  it('can be checked: xmllint is installed', () => {
    expect(
      xmllintMissing,
      'xmllint is missing: install it (Debian: apt-get install libxml2-utils) to validate junit.xml',
    ).toBe(false);
  });

  it.skipIf(xmllintMissing)(
    'validates against the Ant JUnit schema: every status, an exercise not graded, hostile text',
    () => {
      expect(validate('mixed.xml', formatJunit(mixedReport))).toBe('');
    },
  );

  it.skipIf(xmllintMissing)('validates when grading could not finish (the "grader" suite)', () => {
    expect(validate('failed.xml', formatJunit(failedReport))).toBe('');
  });

  it.skipIf(xmllintMissing)('is refused by the schema when a required part is missing', () => {
    const withoutHostname = formatJunit(mixedReport).replace(/ hostname="[^"]*"/, '');
    expect(validate('no-hostname.xml', withoutHostname)).toMatch(/hostname/);
  });
});
