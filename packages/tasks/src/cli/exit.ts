/**
 * The one place where an error becomes lines and an exit code. Libraries throw; only this maps. Masking and
 * control-character escaping happen where the lines are printed (output/safe.ts), once for every output mode.
 */
import { EnvError, issueLocation } from '@promtior/env/errors';
import { ExitCode, TaskError } from '../errors.ts';
import { stripColor } from '../text/escape.ts';
import { capLine } from '../text/quote.ts';

export interface Failure {
  code: string;
  exitCode: number;
  lines: string[];
}

export function describeFailure(error: unknown): Failure {
  if (error instanceof EnvError) {
    const lines = [`error: ${error.message}.`];
    for (const issue of error.issues) {
      const at = issueLocation(issue);
      lines.push(`  ${issue.severity === 'error' ? '✖' : '⚠'} ${at ? `${at}: ` : ''}${issue.message}`, `      fix: ${issue.fix}`);
    }
    return { code: error.code, exitCode: error.exitCode, lines: lines.map((l) => capLine(l)) };
  }
  if (error instanceof TaskError) {
    const lines = [`error: ${error.message}`, ...error.details.map((d) => `    ${stripColor(d)}`)];
    return { code: error.code, exitCode: error.exitCode, lines: lines.map((l) => capLine(l)) };
  }
  const e = error as Error;
  return {
    code: 'INTERNAL',
    exitCode: ExitCode.failure,
    lines: [`internal error: ${e?.stack ?? String(error)}`, 'This is a bug in promtior-tasks; please report it with the command you ran.'],
  };
}
