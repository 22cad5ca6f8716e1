/**
 * Node's dotenv reads some lines differently from compose (a `#` or `$` inside an unquoted value is the dangerous
 * case: one side truncates the secret). The Python service or another tool may read the same file with a
 * dotenv-style parser, so every disagreement becomes a warning with the line and the portable spelling.
 */
import { parse as dotenvParse } from 'dotenv';
import type { EnvEntry, ParseProblem } from './parse.ts';

export function portabilityWarnings(text: string, entries: readonly EnvEntry[]): ParseProblem[] {
  // dotenv's parse() is pure: no stderr banner, no process.env mutation (unlike config()).
  const theirs = dotenvParse(text);
  const last = new Map<string, EnvEntry>();
  for (const e of entries) last.set(e.key, e);
  const warnings: ParseProblem[] = [];
  for (const e of last.values()) {
    if (e.inherited) continue;
    if (theirs[e.key] === e.value) continue;
    warnings.push({
      key: e.key,
      line: e.line,
      message: `${e.key} reads differently with node's dotenv than with docker compose: ${reason(e, theirs[e.key])}`,
      fix: fixFor(e),
    });
  }
  return warnings;
}

function reason(e: EnvEntry, theirs: string | undefined): string {
  if (theirs === undefined) return 'dotenv skips the line';
  if (e.unset.length > 0) return `compose replaces $${e.unset[0]} (unset) with an empty string, dotenv keeps the text`;
  if (e.quote === 'none' && theirs.length < e.value.length) return 'dotenv cuts the value at "#" (compose keeps it)';
  if (e.quote === 'double') return 'escapes or "$" inside double quotes are read differently';
  return `the values differ in length (${theirs.length} vs ${e.value.length} characters)`;
}

function fixFor(e: EnvEntry): string {
  return e.quote === 'single'
    ? 'avoid backslashes before quotes in this value, or keep it out of .env and pass it from the shell'
    : `wrap the value in single quotes (${e.key}='...'): both read single-quoted text literally`;
}
