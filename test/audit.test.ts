import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.ts';
import { OLD_FILES } from './helpers/old-repo.ts';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'audit-'));
  for (const [f, c] of Object.entries(files)) writeFileSync(path.join(dir, f), c);
  return dir;
}

interface Report {
  score: { total: number; categories: Record<string, number> };
  findings: { rule: string; category: string; severity: string; file: string; line: number; message: string; fix: string }[];
  ignored: { rule: string; reason: string }[];
}

function audit(dir: string, ...args: string[]): { code: number | null; report: Report; stderr: string } {
  const r = runCli(['-C', dir, 'audit', '--format', 'json', ...args]);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

describe('audit', () => {
  it('scores the shipped assets at least 57/60 with no finding above low', () => {
    const { code, report } = audit(path.join(ROOT, 'packages', 'docker-assets', 'assets'));
    expect(code).toBe(0);
    expect(report.score.total).toBeGreaterThanOrEqual(57);
    expect(report.findings.filter((f) => !['info', 'low'].includes(f.severity))).toEqual([]);
    expect(Object.keys(report.score.categories)).toEqual([
      'user-privileges',
      'secrets-management',
      'base-image',
      'attack-surface',
      'health-monitoring',
      'resource-limits',
    ]);
  });

  it("scores the seed's before set-up (single stage, root, no .dockerignore, no healthcheck, no limits) at most 25/60", () => {
    const { report } = audit(folder({ Dockerfile: OLD_FILES.Dockerfile, 'docker-compose.yml': OLD_FILES['docker-compose.yml'] }));
    expect(report.score.total).toBeLessThanOrEqual(25);
    expect(report.score.categories['user-privileges']).toBe(0);
    const rules = report.findings.map((f) => f.rule);
    for (const r of ['UP-001', 'SM-005', 'HM-001', 'RL-001']) expect(rules).toContain(r);
    expect(report.findings.find((f) => f.rule === 'UP-001')).toMatchObject({ file: 'Dockerfile', line: 1, severity: 'critical' });
  });

  it('in this repo (no Docker files of its own) exits 2 naming what it looked for; --assets audits what the tasks use', () => {
    const none = runCli(['audit']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing to audit in \S+: no Dockerfile, Dockerfile\.\*, \*\.Dockerfile, \*\.dockerfile, compose\.yaml.*--assets/);
    const r = runCli(['audit', '--assets']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Audited: \S+\/assets\/Dockerfile, \S+\/assets\/docker-compose\.full\.yml, \S+\/assets\/Dockerfile\.dockerignore/);
    expect(r.stdout).toMatch(/\| \*\*Total\*\* \| \*\*5[7-9]\/60\*\* \|/);
  });

  // What the rules find in a stage's USER, YAML anchors and override files is the library's (runAudit over loadInput,
  // what the CLI runs): packages/audit/src/load.test.ts. Here, the CLI's share.

  it('honours inline ignores and an ignore file with reasons, and rejects an ignore without one', () => {
    const dir = folder({ Dockerfile: '# audit-ignore=BI-001\nFROM python\nCMD ["python3"]\n' });
    const first = audit(dir).report;
    expect(first.findings.some((f) => f.rule === 'BI-001')).toBe(false);
    expect(first.ignored.map((i) => i.rule)).toContain('BI-001');
    writeFileSync(path.join(dir, '.audit-ignore.json'), JSON.stringify({ ignores: [{ rule: 'HM-001', reason: 'health is checked by the orchestrator' }] }));
    expect(audit(dir).report.ignored).toEqual(
      expect.arrayContaining([{ rule: 'HM-001', reason: 'health is checked by the orchestrator', file: 'Dockerfile', line: 2 }]),
    );
    writeFileSync(path.join(dir, '.audit-ignore.json'), JSON.stringify({ ignores: [{ rule: 'HM-01' }] }));
    const bad = runCli(['-C', dir, 'audit']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('names no known rule ("HM-01"); did you mean HM-001?');
  });

  it('--min-score exits 1 below the threshold', () => {
    const dir = folder({ Dockerfile: OLD_FILES.Dockerfile });
    const r = runCli(['-C', dir, 'audit', '--min-score', '50']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the audit score \d+\/60 is below --min-score 50/);
  });

  it('writes SARIF 2.1.0 that code-scanning UIs accept', () => {
    const r = runCli(['-C', folder({ Dockerfile: OLD_FILES.Dockerfile }), 'audit', '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('promtior-tasks audit');
    expect(run.results.length).toBeGreaterThan(3);
    for (const res of run.results) {
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(res.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
      expect(['error', 'warning', 'note']).toContain(res.level);
    }
    expect(r.stderr).toContain('audit:');
  });
});
