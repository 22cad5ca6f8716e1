/** Runs every rule over the service model of a folder's Docker files; applies inline and file ignores; scores the rest. */

import { masker } from './mask.ts';
import { type AuditInput, CATEGORIES, type Category, type Finding, type Rule } from './model.ts';
import { printable } from './printable.ts';
import { ALL_RULES } from './rules/all.ts';
import { type Score, score } from './score.ts';
import { servicesBuilding, units } from './services.ts';

export { defaultFiles } from './discover.ts';
export { type LoadOptions as AuditOptions, loadInput } from './load.ts';

export interface AuditReport {
  /** Every file read, in the order read. */
  files: string[];
  score: Score;
  findings: Finding[];
  /** Findings silenced by an inline or config ignore, with why. */
  ignored: (Finding & { reason: string })[];
  /** Files that could not be read or parsed (also reported as critical AUDIT-000 findings): the score is not to be trusted. */
  inputErrors: { file: string; line: number; message: string }[];
}

export const INPUT_RULE = {
  id: 'AUDIT-000',
  category: 'attack-surface',
  severity: 'critical',
  title: 'file cannot be read or parsed',
  why: 'A file the audit cannot read is a file it cannot vouch for: a score without it would say the set-up is safe when nothing was checked.',
  fix: 'Fix the file at that line (or point the audit at the right file).',
} as const;

/** Categories the audited files give nothing to judge: their score says "not applicable" instead of punishing. */
function notApplicable(input: AuditInput): Category[] {
  const all = units(input);
  const judged: Record<Category, boolean> = {
    'user-privileges': all.length > 0,
    'secrets-management': input.dockerfiles.length > 0 || input.compose !== undefined,
    'base-image': input.dockerfiles.some((d) => d.stages.length > 0) || all.some((u) => u.image !== undefined),
    'attack-surface': input.dockerfiles.length > 0 || input.compose !== undefined,
    'health-monitoring': all.length > 0,
    'resource-limits': (input.compose?.services.length ?? 0) > 0,
  };
  return CATEGORIES.filter((c) => !judged[c]);
}

export interface RunOptions {
  /** Ignores from a config file: each with a reason. */
  ignores?: readonly { rule: string; file?: string; reason: string }[];
}

export function runAudit(input: AuditInput, opts: RunOptions = {}, rules: readonly Rule[] = ALL_RULES): AuditReport {
  const findings: Finding[] = [];
  const ignored: AuditReport['ignored'] = [];
  const mask = masker(input);
  for (const r of rules) {
    r.check(input, (f) => {
      const finding: Finding = {
        rule: r.id,
        category: r.category,
        severity: f.severity ?? r.severity,
        line: f.line,
        file: printable(f.file),
        message: printable(mask(f.message)),
        services: f.services ? [...f.services] : dockerfileUnits(input, f.file),
        why: r.why,
        fix: r.fix,
      };
      const config = opts.ignores?.find((i) => i.rule === r.id && (!i.file || i.file === f.file));
      if (f.ignored?.includes(r.id)) ignored.push({ ...finding, reason: `inline audit-ignore at ${f.file}:${f.line}` });
      else if (config) ignored.push({ ...finding, reason: config.reason });
      else findings.push(finding);
    });
  }
  const inputErrors = [
    ...(input.errors ?? []),
    ...(input.compose?.errors ?? []),
    ...input.dockerfiles.flatMap((d) => d.problems.map((p) => ({ file: d.file, line: p.line, message: p.message, fix: 'Fix the Dockerfile at that line.' }))),
  ];
  for (const e of inputErrors) {
    findings.push({
      rule: INPUT_RULE.id,
      category: INPUT_RULE.category,
      severity: INPUT_RULE.severity,
      file: e.file,
      line: e.line,
      message: printable(mask(`the file cannot be audited: ${e.message}`)),
      why: INPUT_RULE.why,
      fix: e.fix,
    });
  }
  const order = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
  findings.sort((a, b) => order[a.severity] - order[b.severity] || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line);
  const files = [
    ...new Set([
      ...input.dockerfiles.map((d) => d.file),
      ...(input.compose?.files ?? []),
      ...input.dockerfiles.flatMap((d) => (d.ignore ? [d.ignore.file] : [])),
      ...(input.dockerignore ? [input.dockerignore.file] : []),
      ...inputErrors.map((e) => e.file),
    ]),
  ];
  return {
    files,
    score: score(findings, notApplicable(input)),
    findings,
    ignored,
    inputErrors: inputErrors.map(({ file, line, message }) => ({ file, line, message: printable(mask(message)) })),
  };
}

/** A Dockerfile finding is about the services that build the file, or the file itself when none does. */
function dockerfileUnits(input: AuditInput, file: string): string[] | undefined {
  if (!input.dockerfiles.some((d) => d.file === file)) return undefined;
  const services = servicesBuilding(input, file);
  return services.length > 0 ? services : [file];
}
