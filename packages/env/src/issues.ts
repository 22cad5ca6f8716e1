/**
 * Keeps a report readable and its memory bounded: a binary or generated file can hold a problem on every one of its
 * million lines. The first ones are kept in full, the rest only counted, and one closing line says how many.
 */
import type { EnvIssue } from './errors.ts';
import { escapeControls } from './text/escape.ts';

/** How many issues from the files a report shows in full. */
export const SHOWN_ISSUES = 50;

export class IssueCollector {
  readonly shown: EnvIssue[] = [];
  readonly omitted = { error: 0, warning: 0 };
  private readonly limit: number;
  constructor(limit = SHOWN_ISSUES) {
    this.limit = limit;
  }

  get full(): boolean {
    return this.shown.length >= this.limit;
  }

  /** Adds an issue, or counts it once the report is full. `make` is only called when the issue will be shown. */
  add(severity: EnvIssue['severity'], make: () => Omit<EnvIssue, 'severity'>): void {
    if (this.full) this.omitted[severity]++;
    else this.shown.push({ severity, ...make() });
  }

  /** Counts an issue the caller did not build because the report is full (hot paths skip making the closure). */
  skip(severity: EnvIssue['severity']): void {
    this.omitted[severity]++;
  }

  /** The shown issues, plus one that counts the rest (an error when any omitted issue is one). */
  issues(files: readonly string[]): EnvIssue[] {
    const { error, warning } = this.omitted;
    if (error + warning === 0) return this.shown;
    const parts = [error > 0 ? count(error, 'error') : '', warning > 0 ? count(warning, 'warning') : ''].filter(Boolean).join(' and ');
    return [
      ...this.shown,
      {
        severity: error > 0 ? 'error' : 'warning',
        message: `${parts} more in ${files.map(escapeControls).join(', ') || 'the env files'} not listed (only the first ${this.shown.length} are shown)`,
        fix: 'fix the problems listed above and run the check again; if most lines are wrong, check that this is the .env file you meant',
      },
    ];
  }

  /** Errors found in the files, including the ones not shown. */
  get errorCount(): number {
    return this.shown.filter((i) => i.severity === 'error').length + this.omitted.error;
  }
}

export function count(n: number, noun: string): string {
  return `${grouped(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** 12345 → "12,345" (toLocaleString loads ICU data on first use, which costs more than a whole check). */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}
