/** Issue 9 items 1, 5, 8 and 13 for `audit`, through the real CLI. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliasBomb, mergeBomb } from '../../packages/audit/src/test-helpers/bombs.ts';
import { runCli } from '../helpers/cli.ts';

function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostile-audit-'));
  for (const [f, c] of Object.entries(files)) writeFileSync(path.join(dir, f), c);
  return dir;
}

describe('audit on hostile input', () => {
  for (const [name, text] of [
    ['the alias bomb', aliasBomb()],
    ['the merge-key bomb', mergeBomb()],
  ] as const) {
    it(`rejects ${name} with a clear error naming the file, the line and the fix (item 1)`, () => {
      const dir = folder({ 'docker-compose.yml': text });
      const r = runCli(['-C', dir, 'audit', '--format', 'json']);
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout);
      expect(report.findings[0]).toMatchObject({ rule: 'AUDIT-000', severity: 'critical', file: 'docker-compose.yml' });
      expect(report.findings[0].message).toMatch(/expand the document past 100,000 values/);
      expect(report.findings[0].fix).toMatch(/alias bomb/);
      expect(r.stderr).toMatch(/error: the audit could not read docker-compose\.yml \(docker-compose\.yml:\d+: .*expand the document past/);
      expect(r.stderr).not.toMatch(/internal error/);
    });
  }

  it('fails --min-score on an empty or binary Dockerfile and on a compose file that does not parse (item 8)', () => {
    const cases: Record<string, string | Buffer>[] = [
      { Dockerfile: '' },
      { Dockerfile: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0xff, 0xfe]) },
      { 'docker-compose.yml': 'services:\n  app:\n   image: [x\n' },
    ];
    for (const files of cases) {
      const r = runCli(['-C', folder(files), 'audit', '--min-score', '50']);
      expect(r.code, r.all).toBe(1);
      expect(r.stdout).toMatch(/CRITICAL AUDIT-000/);
      expect(r.stderr).toMatch(/the audit could not read (Dockerfile|docker-compose\.yml) .*--min-score 50 cannot pass on files that were not read/);
    }
  });

  it('names a --dockerfile that is a folder, with exit 2 and no stack trace (item 13)', () => {
    const dir = folder({});
    mkdirSync(path.join(dir, 'docker'));
    writeFileSync(path.join(dir, 'docker', 'Dockerfile'), 'FROM python:3.12-slim\n');
    const r = runCli(['-C', dir, 'audit', '--dockerfile', 'docker']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: the Dockerfile docker is a folder, not a file .*docker\/Dockerfile/);
    expect(r.all).not.toMatch(/internal error|\n\s+at /);
  });

  it('prints no terminal escape and no secret from the audited files, in any format (item 5)', () => {
    const dir = folder({
      Dockerfile: 'FROM python:3.12-slim\nENV API_TOKEN=tok-9f8e7d6c5b4a3210\nCMD echo \u001b]0;pwned\u0007 tok-9f8e7d6c5b4a3210\n',
      'docker-compose.yml': 'services:\n  app:\n    build: .\n    environment:\n      - DB_PASSWORD=Sup3r-S3cret-Passw0rd\n',
    });
    for (const format of ['table', 'json', 'sarif']) {
      const r = runCli(['-C', dir, 'audit', '--format', format]);
      expect(r.all).not.toContain('\u001b]0;');
      expect(r.all).not.toContain('tok-9f8e7d6c5b4a3210');
      expect(r.all).not.toContain('Sup3r-S3cret-Passw0rd');
    }
  });
});
