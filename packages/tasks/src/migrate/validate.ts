/** The checks a migrated repo passes before its Makefile changes: its Dockerfile and compose files parse. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDockerfile } from '@promtior/audit';
import { checkComposeFile } from '../workflow/compose-check.ts';

/** Every problem as `file:line: message`; empty when all parse (the repo's one Dockerfile parser: heredocs and all). */
export function parseProblems(dir: string, dockerfile: string, composeFiles: readonly string[]): string[] {
  const problems: string[] = [];
  for (const p of parseDockerfile(dockerfile, readFileSync(path.join(dir, dockerfile), 'utf8')).problems)
    problems.push(`${dockerfile}:${p.line}: ${p.message}`);
  for (const name of new Set(composeFiles)) for (const p of checkComposeFile(path.join(dir, name))) problems.push(`${name}:${p.line ?? '?'}: ${p.message}`);
  return problems;
}
