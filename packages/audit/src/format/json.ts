/**
 * The JSON report other tools rely on: {score: {total, categories, notApplicable}, files, findings: [{rule, category,
 * severity, file, line, message, services, why, fix}], ignored, inputErrors}.
 */
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
        services: f.services,
        why: f.why,
        fix: f.fix,
      })),
      ignored: r.ignored.map((f) => ({ rule: f.rule, file: f.file, line: f.line, reason: f.reason })),
      inputErrors: r.inputErrors,
    },
    null,
    2,
  );
}
