/** Builds a folder from an inline tree in a temp dir (changesets' habit), for loadInput tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadInput, runAudit } from '../audit.ts';

export function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'audit-unit-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

/** The report for a folder audited by discovery. */
export function auditTree(files: Record<string, string>, env: Record<string, string> = {}) {
  return runAudit(loadInput({ dir: tree(files), env }));
}

/** `RULE file:line [services] message` for each finding of the given rules. */
export function brief(report: ReturnType<typeof runAudit>, ...rules: string[]): string[] {
  return report.findings.filter((f) => rules.includes(f.rule)).map((f) => `${f.rule} ${f.file}:${f.line} [${f.services?.join(',') ?? ''}] ${f.message}`);
}
