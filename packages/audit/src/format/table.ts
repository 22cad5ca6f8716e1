/** The human report: the six-category table, then every finding with where, what, why and the fix. */
import type { AuditReport } from '../audit.ts';
import { CATEGORIES } from '../model.ts';

const TITLES = {
  'user-privileges': 'User Privileges',
  'secrets-management': 'Secrets Management',
  'base-image': 'Base Image',
  'attack-surface': 'Attack Surface',
  'health-monitoring': 'Health Monitoring',
  'resource-limits': 'Resource Limits',
} as const;

export function formatTable(r: AuditReport): string {
  const out = [`Audited: ${r.files.join(', ') || '(no Docker files found)'}`, '', '| Category | Score | Findings |', '|---|---|---|'];
  for (const c of CATEGORIES) {
    const n = r.findings.filter((f) => f.category === c && f.severity !== 'info').length;
    const na = r.score.notApplicable.includes(c);
    out.push(`| ${TITLES[c]} | ${na ? 'n/a (nothing to judge)' : `${r.score.categories[c]}/10`} | ${n} |`);
  }
  const pct = Math.round((r.score.total / 60) * 100);
  out.push(`| **Total** | **${r.score.total}/60** | ${pct}% |`, '');
  for (const f of r.findings) {
    out.push(`${f.severity.toUpperCase().padEnd(8)} ${f.rule}  ${f.file}:${f.line}  ${f.message}`, `         why: ${f.why}`, `         fix: ${f.fix}`);
  }
  if (r.findings.length === 0) out.push('No findings.');
  if (r.inputErrors.length > 0)
    out.push('', `Not audited (${r.inputErrors.length}): ${r.inputErrors.map((e) => `${e.file}:${e.line}`).join(', ')}: the score leaves these files out.`);
  if (r.ignored.length > 0) out.push('', `Ignored (${r.ignored.length}):`, ...r.ignored.map((f) => `  ${f.rule} ${f.file}:${f.line} (${f.reason})`));
  return out.join('\n');
}
