/** One problem found in the environment: where it is, what was expected and how to fix it. Never holds a secret's value. */
export interface EnvIssue {
  severity: 'error' | 'warning';
  /** The variable concerned, when there is one (a malformed line may have none). */
  key?: string;
  /** The .env file and 1-based line, when the problem sits in a file. */
  file?: string;
  line?: number;
  message: string;
  fix: string;
}

/** Stable codes of this package's errors. */
export const EnvErrorCode = {
  invalid: 'ENV_INVALID',
  fileMissing: 'ENV_FILE_MISSING',
} as const;
export type EnvErrorCode = (typeof EnvErrorCode)[keyof typeof EnvErrorCode];

/** The one error class of @promtior/env: carries every issue found, so callers report them all at once. */
export class EnvError extends Error {
  readonly code: EnvErrorCode;
  readonly exitCode = 1;
  readonly issues: readonly EnvIssue[];
  constructor(code: EnvErrorCode, message: string, issues: readonly EnvIssue[] = []) {
    super(message);
    this.name = 'EnvError';
    this.code = code;
    this.issues = issues;
  }
}

/** `file:line` (or just the file, or nothing) for an issue. */
export function issueLocation(issue: Pick<EnvIssue, 'file' | 'line'>): string {
  if (!issue.file) return '';
  return issue.line ? `${issue.file}:${issue.line}` : issue.file;
}
