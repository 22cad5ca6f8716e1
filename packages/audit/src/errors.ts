/**
 * The one error base of @promtior/audit: a stable code and the exit code a CLI should map it to. Only input the
 * audit cannot start from is thrown (a path that is a folder, a file that does not exist); a file that is read but
 * cannot be parsed becomes a critical finding instead, so the report still says what else was found.
 */
export class AuditError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, opts: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AuditError';
    this.code = code;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** A file named for the audit that cannot be read at all (missing, a folder): exit 2, like a bad flag. */
export class AuditInputError extends AuditError {
  readonly file: string;
  constructor(file: string, message: string, cause?: unknown) {
    super('AUDIT_INPUT', message, { exitCode: 2, cause });
    this.name = 'AuditInputError';
    this.file = file;
  }
}
