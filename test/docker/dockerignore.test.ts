import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assetPath } from '@promtior/docker-assets';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCKER, requireEngine } from '../helpers/docker.ts';

/** Every file BuildKit sends from `context` under the shipped .dockerignore (probe build, local exporter). */
function contextFiles(files: readonly string[]): string[] {
  const root = mkdtempSync(path.join(tmpdir(), 'ignore-'));
  const context = path.join(root, 'context');
  for (const f of files) {
    mkdirSync(path.dirname(path.join(context, f)), { recursive: true });
    writeFileSync(path.join(context, f), `content of ${f}\n`);
  }
  // A copy, as `task migrate` makes: Docker does not follow a symlinked .dockerignore.
  copyFileSync(assetPath('.dockerignore'), path.join(context, '.dockerignore'));
  writeFileSync(path.join(root, 'probe.Dockerfile'), 'FROM scratch\nCOPY . /\n');
  const out = path.join(root, 'out');
  const r = spawnSync(DOCKER, ['build', '--file', path.join(root, 'probe.Dockerfile'), '--output', `type=local,dest=${out}`, context], {
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`probe build failed: ${r.stderr}`);
  const found: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else found.push(path.relative(out, p));
    }
  };
  walk(out);
  return found.sort();
}

describe('the shipped .dockerignore', () => {
  beforeAll(requireEngine);

  it("is the same file as Dockerfile.dockerignore, which applies when the assets package's Dockerfile is used in place", () => {
    expect(readFileSync(assetPath('Dockerfile.dockerignore'), 'utf8')).toBe(readFileSync(assetPath('.dockerignore'), 'utf8'));
  });

  it("has the seed's 80+ rules", () => {
    const rules = readFileSync(assetPath('.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    expect(rules.length).toBeGreaterThanOrEqual(80);
  });

  it('keeps secrets, VCS data, environments, caches, tests and docs out of a `COPY . .`, and lets the rest in', () => {
    const sent = contextFiles([
      'pyproject.toml',
      'src/app/main.py',
      '.env.example',
      'README.md',
      '.env',
      '.env.local',
      '.env.production',
      'config/.env',
      '.git/HEAD',
      '.venv/bin/python',
      'venv/lib/site.py',
      '__pycache__/a.cpython-312.pyc',
      'src/app/__pycache__/main.cpython-312.pyc',
      '.pytest_cache/v/cache',
      'tests/test_app.py',
      'docs/notes.md',
      'id_rsa',
      'deploy.pem',
      'secrets/api.txt',
      '.npmrc',
      '.pypirc',
      '.backups/2026/Dockerfile',
      'node_modules/x/index.js',
      'data/chroma.sqlite3',
      'docker-compose.yml',
    ]);
    expect(sent).toEqual(['.env.example', 'README.md', 'pyproject.toml', 'src/app/main.py']);
  });
});
