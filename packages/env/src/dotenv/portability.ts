/**
 * Node's dotenv reads some lines differently from compose (a `#` or `$` inside an unquoted value is the dangerous
 * case: one side truncates the secret). The Python service or another tool may read the same file with a
 * dotenv-style parser, so every disagreement becomes a warning with the line, its real cause and the portable
 * spelling. Warnings name variables, never values.
 */
import { createRequire } from 'node:module';
import { showName } from '../text/escape.ts';
import type { EnvEntry, ParseProblem } from './parse.ts';

/** What node's dotenv reads from the text. Its character scanner (`fast`), not its regex: same results, linear time. */
export function dotenvReading(text: string): Readonly<Record<string, string>> {
  dotenv ??= createRequire(import.meta.url)('dotenv') as typeof import('dotenv');
  return dotenv.parse(text, { fast: true });
}

/** Loaded on first use: most files are plain enough (see plainReading) never to need it, and loading it costs. */
let dotenv: typeof import('dotenv') | undefined;

export function portabilityWarnings(text: string, entries: readonly EnvEntry[]): ParseProblem[] {
  const theirs = dotenvReading(text);
  const last = new Map<string, EnvEntry>();
  for (const e of entries) last.set(e.key, e);
  return [...last.values()].flatMap((e) => portabilityWarning(e, theirs) ?? []);
}

/** The warning for one entry (the last of its key) when dotenv reads it differently; undefined when both agree. */
export function portabilityWarning(e: EnvEntry, theirs: Readonly<Record<string, string>>): ParseProblem | undefined {
  return readsDifferently(e, theirs) ? describeDifference(e, theirs) : undefined;
}

/** The warning for an entry dotenv reads differently (see readsDifferently): each real cause, and the fix. */
export function describeDifference(e: EnvEntry, theirs: Readonly<Record<string, string>>): ParseProblem {
  const their = dotenvValue(theirs, e.key);
  const found = causes(e, their);
  const name = showName(e.key);
  return {
    key: e.key,
    line: e.line,
    message: `${name} reads differently with node's dotenv than with docker compose: ${found.map((c) => c.text).join('; ')}`,
    fix: found.find((c) => c.fix)?.fix ?? quoteFix(name),
  };
}

/** Cheap check before building a warning: does dotenv disagree with compose about this entry? */
export function readsDifferently(e: EnvEntry, theirs: Readonly<Record<string, string>>): boolean {
  return !e.inherited && dotenvValue(theirs, e.key) !== e.value;
}

// Own properties only: a key such as `constructor` must not find Object.prototype's.
function dotenvValue(theirs: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(theirs, key) ? theirs[key] : undefined;
}

interface Cause {
  text: string;
  fix?: string;
}

function quoteFix(name: string): string {
  return `wrap the value in single quotes (${name}='...'): both read single-quoted text literally`;
}

function causes(e: EnvEntry, their: string | undefined): Cause[] {
  const name = showName(e.key);
  if (their === undefined) {
    return /^[\w.-]+$/.test(e.key)
      ? [{ text: 'dotenv skips the line' }]
      : [{ text: 'dotenv skips the line: its keys are letters, digits, _ . and - only', fix: `rename ${name} to use letters, digits and _ only` }];
  }
  const written = e.written ?? e.value;
  const found: Cause[] = [];
  if (e.quote === 'none') {
    if (written.includes('#')) found.push({ text: 'dotenv cuts the value at "#" (compose starts a comment only at " #")' });
    if (/[\u2028\u2029]/.test(written)) found.push({ text: 'dotenv ends the value at a Unicode line separator (U+2028 or U+2029)' });
    if (written.length >= 2 && written.startsWith('`') && written.endsWith('`')) {
      found.push({ text: 'dotenv removes the backticks around the value (compose keeps them)' });
    }
  }
  // The reader has already turned \" into " (and \' into '): a quote inside the value was escaped in the file.
  if (e.quote === 'double' && (/\\[^nr]/.test(written) || written.includes('"'))) {
    found.push({ text: 'compose reads every backslash escape inside double quotes (\\t, \\\\, \\", \\$ ...); dotenv reads only \\n and \\r' });
  }
  if (e.quote === 'single' && written.includes("'")) {
    found.push({
      text: "compose reads \\' inside single quotes as ', dotenv keeps the backslash",
      fix: 'avoid backslashes before quotes in this value, or keep it out of .env and pass it from the shell',
    });
  }
  if (e.quote !== 'single') found.push(...substitution(e, name));
  if (found.length === 0) found.push({ text: `dotenv reads ${their.length} characters where compose reads ${e.value.length}` });
  return found;
}

/** `$` interpolation: compose substitutes, dotenv keeps the text as written. */
function substitution(e: EnvEntry, name: string): Cause[] {
  const fix = `if the $ is meant literally, wrap the value in single quotes (${name}='...'); if the substitution is meant, every other reader of this file must interpolate too (node's dotenv needs dotenv-expand)`;
  const unset = e.unset[0];
  if (unset !== undefined) return [{ text: `compose replaces $${unset} (unset) with an empty string, dotenv keeps the text`, fix }];
  const refs = e.refs ?? [];
  if (refs.length > 0) {
    const more = refs.length > 1 ? ` and ${refs.length - 1} more` : '';
    return [{ text: `compose replaces \${${refs[0]}}${more} with ${refs.length > 1 ? 'their values' : 'its value'}, dotenv keeps the text`, fix }];
  }
  if ((e.written ?? '').includes('$$')) return [{ text: 'compose reads "$$" as "$", dotenv keeps both', fix }];
  return [];
}
