// Every place that names a Node version agrees: the versions npm install
// accepts (package.json engines, native/build.mjs), the LTS that CI fetches
// (.ci/run), the dev container's image, the Gradescope bundle and the GitHub
// Actions example. The dev container installs with the README's command.
import { accessSync, constants, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const SUPPORTED = [22, 24, 26];
const LTS = 24;

describe('the Node versions the course names', () => {
  it('engines accepts exactly the supported majors', () => {
    const engines: string = JSON.parse(read('package.json')).engines.node;
    const majors = engines.split('||').map((range) => Number(range.trim().match(/^\^(\d+)\./)![1]));
    expect(majors).toEqual(SUPPORTED);
    expect(read('native/build.mjs')).toContain(`[${SUPPORTED.join(', ')}].includes(nodeMajor)`);
  });

  it('CI, the dev container, Gradescope and the Actions example use the LTS', () => {
    expect(read('.ci/run')).toMatch(new RegExp(`^LTS=${LTS}$`, 'm'));
    expect(read('.devcontainer/Dockerfile')).toMatch(
      new RegExp(`^FROM node:${LTS}-bookworm$`, 'm'),
    );
    expect(read('grader/course/gradescope.ts')).toContain(`setup_${LTS}.x`);
    expect(read('grader/ci/github-actions.yml')).toMatch(new RegExp(`node-version: ${LTS}\\b`));
  });

  it('the dev container runs the setup script CI runs, and the README install command', () => {
    expect(read('.devcontainer/Dockerfile')).toContain('COPY scripts/setup-debian.sh');
    accessSync(new URL('../../scripts/setup-debian.sh', import.meta.url), constants.X_OK);
    const withoutComments = read('.devcontainer/devcontainer.json').replace(/^\s*\/\/.*$/gm, '');
    const install = read('README.md').match(/^(npm \w+)\s+# installs the pinned packages/m)![1];
    expect(JSON.parse(withoutComments).postCreateCommand).toBe(install);
  });
});
