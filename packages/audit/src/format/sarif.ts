/** SARIF 2.1.0 for code-scanning UIs (GitHub, GitLab): one run, every rule described, every finding located. */
import { type AuditReport, INPUT_RULE } from '../audit.ts';
import type { Rule, Severity } from '../model.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SECURITY: Record<Severity, string> = { critical: '9.5', high: '7.5', medium: '5.0', low: '3.0', info: '0.0' };

export function formatSarif(r: AuditReport, rules: readonly Rule[], version: string): string {
  // AUDIT-000 (a file that cannot be read) is no rule of the set but must be described for its results to point at.
  const used = [...rules, INPUT_RULE].filter((rule) => r.findings.some((f) => f.rule === rule.id));
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'promtior-tasks audit',
              version,
              informationUri: 'https://github.com/promtior/promtior-tasks',
              rules: used.map((rule) => ({
                id: rule.id,
                name: rule.title,
                shortDescription: { text: rule.title },
                fullDescription: { text: rule.why },
                help: { text: rule.fix },
                defaultConfiguration: { level: LEVEL[rule.severity] },
                properties: { category: rule.category, 'security-severity': SECURITY[rule.severity], tags: ['security', 'docker', rule.category] },
              })),
            },
          },
          results: r.findings.map((f) => ({
            ruleId: f.rule,
            ruleIndex: used.findIndex((rule) => rule.id === f.rule),
            level: LEVEL[f.severity],
            message: { text: `${f.message}. Fix: ${f.fix}` },
            locations: [{ physicalLocation: { artifactLocation: { uri: f.file }, region: { startLine: Math.max(1, f.line) } } }],
            properties: { severity: f.severity, category: f.category, ...(f.services ? { services: f.services } : {}) },
          })),
        },
      ],
    },
    null,
    2,
  );
}
