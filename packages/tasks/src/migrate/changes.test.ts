import { cpSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assetPath } from '@promtior/docker-assets';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { repoDir } from './carry/test-repo.ts';
import { planMigration, type Strategy } from './changes.ts';
import { unifiedDiff } from './diff.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../../../test/fixtures/team-repos');

function plan(dir: string, strategy: Strategy = 'replace') {
  return planMigration({ dir, project: path.basename(dir), strategy, current: {}, canWriteConfig: true });
}

function corpus(shape: string): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'changes-'))), shape);
  cpSync(path.join(CORPUS, shape), dir, { recursive: true });
  return dir;
}

describe("migrate's change set", () => {
  it('replace: the template Dockerfile as it is, the carried compose files, tasks.config.ts, .env.example and the Makefile shims', () => {
    const dir = corpus('requirements-flat');
    const m = plan(dir);
    expect(m.changes.map((c) => `${c.kind} ${c.path}`)).toEqual([
      'replace Dockerfile',
      'replace docker-compose.yml',
      'add docker-compose.dev.yml',
      'add .dockerignore',
      'add tasks.config.ts',
      'add .env.example',
      'replace Makefile',
    ]);
    expect(m.changes.find((c) => c.path === 'Dockerfile')?.content).toBe(readFileSync(assetPath('Dockerfile'), 'utf8'));
    expect(m.files).toEqual({ dockerfile: 'Dockerfile', full: ['docker-compose.yml'], dev: ['docker-compose.yml', 'docker-compose.dev.yml'] });
  });

  it('keep-both: the new files beside the old ones, which are not touched', () => {
    const m = plan(corpus('requirements-flat'), 'keep-both');
    expect(m.changes.map((c) => c.path)).toEqual([
      'Dockerfile.optimized',
      'docker-compose.full.yml',
      'docker-compose.dev.yml',
      '.dockerignore',
      'tasks.config.ts',
      '.env.example',
      'Makefile',
    ]);
    expect(m.changes.find((c) => c.path === 'docker-compose.full.yml')?.content).toContain('dockerfile: Dockerfile.optimized');
  });

  it('writes a tasks.config.ts that loads and validates, with the schema of this service only', async () => {
    const dir = corpus('env-secrets');
    const m = plan(dir);
    const config = m.changes.find((c) => c.path === 'tasks.config.ts')?.content as string;
    writeFileSync(path.join(dir, 'tasks.config.ts'), config);
    const loaded = await loadConfig(dir);
    expect(loaded).toEqual(m.config);
    expect(loaded.preset).toBe('none');
    expect(loaded.env?.API_TOKEN).toEqual({ description: 'Secret, moved from Dockerfile:3 (an ENV line) to .env.', secret: true, required: true });
    expect(config).not.toContain('tok_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c');
  });

  it('moves secrets into .env, keeps what .env had, and never writes one twice', () => {
    const dir = corpus('env-secrets');
    writeFileSync(path.join(dir, '.env'), 'EXISTING=1\nSECRET_KEY=already-here-0123456789\n');
    const env = plan(dir).changes.find((c) => c.path === '.env');
    expect(env?.content).toBe(
      'EXISTING=1\nSECRET_KEY=already-here-0123456789\n# moved by task migrate from Dockerfile:3\nAPI_TOKEN=tok_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c\n',
    );
  });

  it("keeps the old .dockerignore's own rules, but not one that would let a secret in", () => {
    const dir = repoDir({ Dockerfile: 'FROM python:3.12-slim\n', '.dockerignore': '# mine\nfixtures/big/\n.env\n!.env.production\n' });
    const m = plan(dir);
    const ignore = m.changes.find((c) => c.path === '.dockerignore')?.content as string;
    expect(ignore.endsWith("# Kept from the repo's old .dockerignore by task migrate:\nfixtures/big/\n")).toBe(true);
    expect(m.setup.carry.mapping.find((x) => x.from.file === '.dockerignore')).toMatchObject({
      verdict: 'not carried',
      from: { line: 4, text: '!.env.production' },
    });
  });

  it('changes nothing when the repo already has what migrate would write', () => {
    const dir = corpus('requirements-flat');
    for (const c of plan(dir).changes) writeFileSync(path.join(dir, c.path), c.content);
    // A second run reads the old set-up from the backup; here the old files themselves stand in for it.
    const again = planMigration({
      dir,
      project: path.basename(dir),
      strategy: 'replace',
      current: {},
      canWriteConfig: true,
      configFrom: corpusFiles('requirements-flat'),
    });
    expect(again.changes).toEqual([]);
  });
});

function corpusFiles(shape: string): string {
  return path.join(CORPUS, shape);
}

describe('unifiedDiff', () => {
  it('shows removed and added lines with two lines of context, and elides the rest', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8'].join('\n');
    const b = ['1', '2', '3', 'four', '5', '6', '7', '8'].join('\n');
    expect(unifiedDiff(a, b, 'a', 'b')).toEqual(['--- a', '+++ b', '@@ ... @@', ' 2', ' 3', '-4', '+four', ' 5', ' 6', '@@ ... @@']);
    expect(unifiedDiff('', 'x\ny', '/dev/null', 'f')).toEqual(['--- /dev/null', '+++ f', '+x', '+y']);
  });
});
