/**
 * The one error base of @promtior/tasks. Each error has a stable code and the process exit code it maps to;
 * only cli/exit.ts turns them into an exit. Messages name the subject, the place and the fix.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  timeout: 124,
  sighup: 129,
  sigint: 130,
  sigterm: 143,
} as const;

export const ErrorCode = {
  unknownTask: 'TASK_UNKNOWN',
  unknownFlag: 'FLAG_UNKNOWN',
  badFlag: 'FLAG_INVALID',
  badTaskFile: 'TASK_FILE_INVALID',
  commandFailed: 'COMMAND_FAILED',
  timeout: 'COMMAND_TIMEOUT',
  interrupted: 'INTERRUPTED',
  /** Stopped because another task of the run failed (the run reports that failure instead). */
  cancelled: 'CANCELLED',
  dockerUnavailable: 'DOCKER_UNAVAILABLE',
  confirmationNeeded: 'CONFIRMATION_NEEDED',
  checkFailed: 'CHECK_FAILED',
  badComposeFile: 'COMPOSE_FILE_INVALID',
  locked: 'LOCKED',
  backupMissing: 'BACKUP_MISSING',
  backupCorrupt: 'BACKUP_CORRUPT',
  localEdits: 'LOCAL_EDITS',
  migrateFailed: 'MIGRATE_FAILED',
  badConfig: 'CONFIG_INVALID',
  /** An image must come from a registry that cannot provide it (not found, no answer). */
  imageUnavailable: 'IMAGE_UNAVAILABLE',
  /** An image's signature is missing, invalid, or by another key. */
  signatureRejected: 'SIGNATURE_REJECTED',
  disabled: 'TASK_DISABLED',
  /** A task's plan breaks the model's rules (reads an output no earlier step produces): a bug in the task. */
  badPlan: 'PLAN_INVALID',
  /** docker-scan found no vulnerability scanner to run (exit 2: the machine lacks a tool, nothing was scanned). */
  scannerMissing: 'SCANNER_MISSING',
  /** A command that reads the keyboard (an interactive shell) with no terminal to give it. */
  terminalNeeded: 'TERMINAL_NEEDED',
  /** The run ended before the CLI finished (a repo's module awaited forever, or called process.exit): cli/start.cjs. */
  unfinished: 'UNFINISHED',
  /** A repo file a task must read or update (package.json, .gitignore, Makefile) is unusable: not JSON, a folder. */
  badRepoFile: 'REPO_FILE_INVALID',
  /** A repo's own task code (its plan) threw: the task's error, reported at its place, not ours. */
  taskCodeFailed: 'TASK_CODE_FAILED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class TaskError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  /** Lines shown under the message (a command's last output lines, a list of problems). */
  readonly details: readonly string[];
  constructor(code: ErrorCode, message: string, opts: { exitCode?: number; details?: readonly string[]; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'TaskError';
    this.code = code;
    this.exitCode = opts.exitCode ?? ExitCode.failure;
    this.details = opts.details ?? [];
  }
}

/** Bad command line: unknown task or flag, wrong flag type. Exit 2, like make and just. */
export function usageError(code: ErrorCode, message: string): TaskError {
  return new TaskError(code, message, { exitCode: ExitCode.usage });
}
