/**
 * Resolves the environment the way docker compose does: `.env` files in order (a later file wins),
 * then the shell environment over all of them. Reads files only; never touches process.env.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDotenv } from './dotenv/parse.ts';
import { portabilityWarnings } from './dotenv/portability.ts';
import { EnvError, EnvErrorCode, type EnvIssue } from './errors.ts';

export type Origin = { kind: 'file'; file: string; line: number } | { kind: 'shell' };

export interface ResolvedEnv {
  values: Record<string, string>;
  origins: Record<string, Origin>;
  /** Files read, as given (relative to cwd when they were). */
  files: string[];
  issues: EnvIssue[];
}

export interface LoadOptions {
  cwd: string;
  /** Explicit --env-file paths; when empty, `.env` is read if it exists. */
  files?: readonly string[];
  shell?: Readonly<Record<string, string | undefined>>;
  /** Only these keys are taken from the shell (the spec's keys), so unrelated variables do not leak in. */
  keys?: readonly string[];
}

export function loadEnv(opts: LoadOptions): ResolvedEnv {
  const shell = opts.shell ?? {};
  const explicit = opts.files ?? [];
  const missingFiles = explicit.filter((f) => !existsSync(path.resolve(opts.cwd, f)));
  if (missingFiles.length > 0) {
    throw new EnvError(
      EnvErrorCode.fileMissing,
      `env file not found: ${missingFiles.join(', ')} (looked in ${opts.cwd}). Fix: check the --env-file path, or create the file from .env.example.`,
    );
  }
  const files = explicit.length > 0 ? [...explicit] : existsSync(path.join(opts.cwd, '.env')) ? ['.env'] : [];
  const values: Record<string, string> = {};
  const origins: Record<string, Origin> = {};
  const issues: EnvIssue[] = [];
  for (const file of files) {
    const text = readFileSync(path.resolve(opts.cwd, file), 'utf8');
    // Inside a file, compose looks up `$VAR` in the shell first, then in what was read before.
    const { entries, problems } = parseDotenv(text, (name) => shell[name] ?? values[name]);
    for (const p of problems) issues.push({ severity: 'error', file, ...p });
    for (const p of portabilityWarnings(text, entries)) issues.push({ severity: 'warning', file, ...p });
    for (const e of entries) {
      for (const name of e.unset) {
        issues.push({
          severity: 'warning',
          key: e.key,
          file,
          line: e.line,
          message: `${e.key} refers to $${name}, which is not set: compose substitutes an empty string`,
          fix: `set ${name}, or write a literal $ as $$ (or single-quote the value)`,
        });
      }
      if (e.inherited && shell[e.key] === undefined) continue;
      values[e.key] = e.value;
      origins[e.key] = { kind: 'file', file, line: e.line };
    }
  }
  for (const key of opts.keys ?? Object.keys(shell)) {
    const v = shell[key];
    if (v === undefined) continue;
    values[key] = v;
    origins[key] = { kind: 'shell' };
  }
  return { values, origins, files, issues };
}
