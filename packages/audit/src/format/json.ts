/** The JSON report other tools rely on: {score: {total, categories}, findings: [{rule, category, severity, file, line, message, fix}]}. */
import type { AuditReport } from '../audit.ts';

export function formatJson(r: AuditReport): string {
  return JSON.stringify(
    {
      score: r.score,
      files: r.files,
      findings: r.findings.map((f) => ({
        rule: f.rule,
        category: f.category,
        severity: f.severity,
        file: f.file,
        line: f.line,
        message: f.message,
        why: f.why,
        fix: f.fix,
      })),
      ignored: r.ignored.map((f) => ({ rule: f.rule, file: f.file, line: f.line, reason: f.reason })),
    },
    null,
    2,
  );
}
