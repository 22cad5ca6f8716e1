/** The one place where an error becomes text and an exit code. Libraries throw; only this maps. */
import { EnvError, issueLocation } from '@promtior/env/errors';
import { ExitCode, TaskError } from '../errors.ts';

export interface Failure {
  code: string;
  exitCode: number;
  lines: string[];
}

export function describeFailure(error: unknown, mask: (t: string) => string = (t) => t): Failure {
  if (error instanceof EnvError) {
    const lines = [`error: ${error.message}.`];
    for (const issue of error.issues) {
      const at = issueLocation(issue);
      lines.push(`  ${issue.severity === 'error' ? '✖' : '⚠'} ${at ? `${at}: ` : ''}${issue.message}`, `      fix: ${issue.fix}`);
    }
    return { code: error.code, exitCode: error.exitCode, lines: lines.map(mask) };
  }
  if (error instanceof TaskError) {
    const lines = [`error: ${error.message}`];
    lines.push(...error.details.map((d) => `    ${d}`));
    return { code: error.code, exitCode: error.exitCode, lines: lines.map(mask) };
  }
  const e = error as Error;
  return {
    code: 'INTERNAL',
    exitCode: ExitCode.failure,
    lines: [`internal error: ${mask(e?.stack ?? String(error))}`, 'This is a bug in promtior-tasks; please report it with the command you ran.'],
  };
}
