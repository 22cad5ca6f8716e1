import { escapeControls } from './text/escape.ts';

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
  /** A directory, a file without read permission, a broken link: it exists but cannot be read as a file. */
  fileUnreadable: 'ENV_FILE_UNREADABLE',
  /** NUL bytes or UTF-16: not a text .env file. */
  fileBinary: 'ENV_FILE_BINARY',
  fileTooLarge: 'ENV_FILE_TOO_LARGE',
} as const;
export type EnvErrorCode = (typeof EnvErrorCode)[keyof typeof EnvErrorCode];

/** The one error class of @promtior/env: carries every issue found, so callers report them all at once. */
export class EnvError extends Error {
  readonly code: EnvErrorCode;
  readonly exitCode = 1;
  readonly issues: readonly EnvIssue[];
  /**
   * Values to mask in anything printed after this error (secrets and values derived from them). No message of this
   * package contains one; this is for output that quotes the files by other means. Not enumerable, so serialising
   * the error never includes it.
   */
  declare readonly secrets: readonly string[];
  constructor(code: EnvErrorCode, message: string, issues: readonly EnvIssue[] = [], secrets: readonly string[] = []) {
    super(message);
    this.name = 'EnvError';
    this.code = code;
    this.issues = issues;
    Object.defineProperty(this, 'secrets', { value: secrets, enumerable: false });
  }
}

/** `file:line` (or just the file, or nothing) for an issue; control characters in the path are escaped. */
export function issueLocation(issue: Pick<EnvIssue, 'file' | 'line'>): string {
  if (!issue.file) return '';
  const file = escapeControls(issue.file);
  return issue.line ? `${file}:${issue.line}` : file;
}
