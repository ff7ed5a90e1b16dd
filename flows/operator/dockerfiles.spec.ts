import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const LINT = execFileSync(resolve(ROOT, 'scripts/tools.sh'), ['path', 'dockerfile-lint'], { encoding: 'utf8' }).trim();
const DOCKERFILES = ['cell-api/Dockerfile', 'control-plane/Dockerfile', 'operator/Dockerfile', 'ai/Dockerfile'];

const lint = (...files: string[]) => {
  const run = spawnSync(LINT, files, { encoding: 'utf8', cwd: ROOT });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
};

/**
 * The images' Dockerfiles, checked without a Docker engine: BuildKit's own linter (the rules
 * of `docker build --check`) and the house rules (base pinned by digest, several stages, a
 * non-root final user), by scripts/tools/dockerfile-lint built from the Go module proxy.
 */
describe('the Dockerfiles', () => {
  it('pass BuildKit’s checks and the house rules', () => {
    const result = lint(...DOCKERFILES);
    expect(result.out).toBe('');
    expect(result.code).toBe(0);
  });

  it('copy only what is in the repository (the build context is its root)', () => {
    for (const file of DOCKERFILES) {
      for (const line of readFileSync(resolve(ROOT, file), 'utf8').split('\n')) {
        const copy = /^COPY\s+(?!--from)(?:--\S+\s+)*(.+)\s+\S+$/.exec(line);
        if (!copy) continue;
        for (const source of copy[1]!.trim().split(/\s+/)) expect(existsSync(resolve(ROOT, source)), `${file}: ${source}`).toBe(true);
      }
    }
  });

  it('are refused when they break a rule (the check is real)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dockerfile-'));
    const bad = join(dir, 'Dockerfile');
    writeFileSync(bad, 'FROM node:20 as Build\nENV MODE production\nCMD node main.js\n');
    const result = lint(bad);
    expect(result.code).toBe(1);
    for (const rule of ['FromAsCasing', 'LegacyKeyValueFormat', 'JSONArgsRecommended', 'BaseNotPinned', 'RootUser', 'SingleStage'])
      expect(result.out).toContain(rule);
  });
});
