/**
 * A `.env` reader that follows docker compose (compose-go dotenv/parser.go), because compose is what hands these
 * values to the containers. Unlike compose it does not stop at the first bad line: it records every problem with
 * its line number and goes on, so `env-check` can report them all at once.
 *
 * One pass, linear in the text: no regex runs over more than a line, quoted values are read by index, nothing is
 * kept per line (the caller decides what to keep), and messages quote the user's text only escaped, cut short, and
 * never from a secret.
 */
import { showName } from '../text/escape.ts';
import { work } from '../work.ts';
import { InterpolationError, interpolateTracked, type Lookup, type Source, type SourceLookup } from './interpolate.ts';
import { isSpace, readKey } from './key.ts';
import { readQuoted, unescapeDouble } from './quoted.ts';

export type QuoteKind = 'none' | 'single' | 'double';

export interface EnvEntry {
  key: string;
  /** Index in the normalized text (see normalizeDotenv) where the entry's statement starts, and where its key does. */
  offset: number;
  keyAt: number;
  /** The value as compose gives it to the container (escapes applied, `$` interpolated). */
  value: string;
  line: number;
  quote: QuoteKind;
  /** A bare `KEY` line: compose takes the value from the shell. */
  inherited: boolean;
  /** Variables the value referenced that were unset (compose substitutes "" and warns). */
  unset: string[];
  /** The value as written, quotes removed, before escapes and interpolation (what dotenv-style readers start from). */
  written?: string;
  /** Variables the value refers to, when it refers to any. */
  refs?: string[];
  /** When the value is a secret or contains one (through `$` interpolation): the secret's name. Never shown. */
  secret?: string;
}

export interface ParseProblem {
  line: number;
  key?: string;
  message: string;
  fix: string;
}

export interface ParseResult {
  entries: EnvEntry[];
  problems: ParseProblem[];
}

export interface ScanOptions {
  /** Resolves a `$VAR` reference (compose: the shell, then earlier files, then earlier lines of this file). */
  lookup?: SourceLookup;
  /** Resolves a bare `KEY` line (compose: the shell, then earlier files, never this file). Defaults to `lookup`. */
  lookupBare?: SourceLookup;
  /** Names whose values are secret: their values, and values built from them, are marked `secret`. */
  isSecret?: (name: string) => boolean;
  /**
   * The secrets' names, to catch a value that swallowed a secret's line (`APP_PORT="` left open over the next line,
   * `ADMIN_REINGEST_KEY=...`): such a value holds the secret's text, so it is secret too.
   */
  secretKeys?: readonly string[];
  /** The text has been through normalizeDotenv already (offsets then refer to it as given). */
  normalized?: boolean;
  /** Every entry, in file order, bare keys included (with "" when the lookup does not know them). */
  onEntry?: (entry: EnvEntry) => void;
  /**
   * Every problem, built only when wanted (a capped report skips the text of the ones it will not show), with the
   * index where its statement starts.
   */
  onProblem?: (make: () => ParseProblem, offset: number) => void;
}

/**
 * Parses `.env` text. `lookup` resolves `$VAR` references not defined earlier in the same text
 * (compose looks in the shell first, then in earlier lines).
 */
export function parseDotenv(text: string, lookup: Lookup = () => undefined): ParseResult {
  const entries: EnvEntry[] = [];
  const problems: ParseProblem[] = [];
  const seen = new Map<string, EnvEntry>();
  const outer: SourceLookup = (name) => {
    const value = lookup(name);
    return value === undefined ? undefined : { value };
  };
  scanDotenv(text, {
    lookup: (name) => outer(name) ?? seen.get(name),
    lookupBare: outer,
    onEntry: (e) => {
      entries.push(e);
      if (!e.inherited || lookup(e.key) !== undefined) seen.set(e.key, e);
    },
    onProblem: (make) => problems.push(make()),
  });
  return { entries, problems };
}

/** The text as the reader sees it: without a byte-order mark, with CRLF line ends turned into LF. */
export function normalizeDotenv(text: string): string {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return src.includes('\r\n') ? src.replace(/\r\n/g, '\n') : src;
}

const EXPORT = /^export[ \t]+/;

/** Shared by entries without unset references, so a large file does not allocate an empty array per line. */
const NONE: string[] = [];

/** Scans `.env` text, reporting entries and problems in file order. */
export function scanDotenv(text: string, opts: ScanOptions = {}): void {
  const src = opts.normalized ? text : normalizeDotenv(text);
  const isSecret = opts.isSecret ?? (() => false);
  const onEntry = opts.onEntry ?? (() => {});
  const onProblem = opts.onProblem ?? (() => {});
  // Whatever the caller's lookup says, a secret's own value is secret.
  const mark = (name: string, found: Source | undefined): Source | undefined =>
    found === undefined || found.secret || !isSecret(name) ? found : { value: found.value, secret: name };
  const lookup = opts.lookup ?? (() => undefined);
  const lookupBare = opts.lookupBare ?? lookup;
  const scoped: SourceLookup = (name) => mark(name, lookup(name));
  const swallowed = (text: string) => (opts.secretKeys?.length ? assignmentIn(text, opts.secretKeys) : undefined);
  let pos = 0;
  let line = 1;

  const lineEnd = (from: number) => {
    const nl = src.indexOf('\n', from);
    const end = nl < 0 ? src.length : nl;
    work.steps += end - from;
    return end;
  };

  while (pos < src.length) {
    work.steps++;
    // Statement start: skip blank space, blank lines and whole-line comments.
    const c = src.charCodeAt(pos);
    if (c === 10) {
      pos++;
      line++;
      continue;
    }
    if (isSpace(c)) {
      pos++;
      continue;
    }
    if (c === 35 /* # */) {
      pos = lineEnd(pos);
      continue;
    }
    const at = line;
    const offset = pos;
    const exportMatch = c === 101 /* e */ ? EXPORT.exec(src.slice(pos, pos + 16)) : null;
    if (exportMatch) pos += exportMatch[0].length;

    const keyAt = pos;
    const k = readKey(src, pos);
    if (k.bad) {
      onProblem(badKey(at, k.bad), offset);
      pos = lineEnd(k.end);
      continue;
    }
    const key = k.key;
    if (k.end >= src.length || src.charCodeAt(k.end) === 10) {
      // Like compose, a bare key looks only outside this file.
      const found = mark(key, lookupBare(key));
      const e: EnvEntry = { key, offset, keyAt, value: found?.value ?? '', line: at, quote: 'none', inherited: true, unset: NONE };
      if (found?.secret) e.secret = found.secret;
      onEntry(e);
      pos = k.end;
      continue;
    }
    pos = k.end + 1;
    while (isSpace(src.charCodeAt(pos))) pos++;

    const quoteChar = src[pos];
    if (quoteChar === '"' || quoteChar === "'") {
      const q = readQuoted(src, pos, quoteChar);
      if (!q) {
        onProblem(unterminated(key, at, quoteChar), offset);
        pos = lineEnd(pos);
        continue;
      }
      line += q.newlines;
      const end = lineEnd(q.end);
      const after = src.slice(q.end, end).trimStart();
      if (after !== '' && !after.startsWith('#')) onProblem(textAfterQuote(key, line), offset);
      pos = end;
      if (quoteChar === "'") {
        const e: EnvEntry = { key, offset, keyAt, value: q.body, line: at, quote: 'single', inherited: false, unset: NONE, written: q.body };
        const secret = isSecret(key) ? key : swallowed(q.body);
        if (secret) e.secret = secret;
        onEntry(e);
      } else {
        interpolated(key, offset, keyAt, q.body, unescapeDouble(q.body), at, 'double');
      }
    } else {
      const end = lineEnd(pos);
      const value = unquotedValue(src, pos, end);
      pos = end;
      interpolated(key, offset, keyAt, value, value, at, 'none');
    }
  }

  function interpolated(key: string, offset: number, keyAt: number, written: string, template: string, at: number, quote: QuoteKind): void {
    const own = isSecret(key) ? key : swallowed(written);
    try {
      if (!template.includes('$')) {
        // Most values: nothing to interpolate, so no result object to make and unpack.
        const e: EnvEntry = { key, offset, keyAt, value: template, line: at, quote, inherited: false, unset: NONE, written };
        if (own) e.secret = own;
        onEntry(e);
        return;
      }
      const r = interpolateTracked(template, scoped);
      const e: EnvEntry = { key, offset, keyAt, value: r.value, line: at, quote, inherited: false, unset: r.unset.length > 0 ? r.unset : NONE, written };
      if (r.refs.length > 0) e.refs = r.refs;
      const secret = own ?? r.secret;
      if (secret) e.secret = secret;
      onEntry(e);
    } catch (error) {
      if (!(error instanceof InterpolationError)) throw error;
      onProblem(brokenInterpolation(key, at, error, own), offset);
    }
  }
}

/*
 * The problems, as functions that build their text only when called (a capped report skips most). They are made
 * here, not by closures inside the scan: a closure there would put the loop's variables in a heap-allocated context
 * on every line, problem or not.
 */

function badKey(line: number, bad: () => { message: string; fix: string }): () => ParseProblem {
  return () => ({ line, ...bad() });
}

function unterminated(key: string, line: number, quoteChar: string): () => ParseProblem {
  return () => ({
    key,
    line,
    message: `unterminated quoted value for ${showName(key)}: the ${quoteChar === '"' ? 'double' : 'single'} quote is never closed`,
    fix: `add the closing ${quoteChar} at the end of the value`,
  });
}

function textAfterQuote(key: string, closedOn: number): () => ParseProblem {
  return () => ({
    key,
    line: closedOn,
    message: `unexpected text after the closing quote of ${showName(key)}`,
    fix: 'put the whole value inside the quotes, or start a comment after the quote with " #"',
  });
}

/** `secret`: the secret the value is, if any, whose text is never quoted, not even the broken part of it. */
function brokenInterpolation(key: string, line: number, error: InterpolationError, secret: string | undefined): () => ParseProblem {
  const detail = error.fragment && !secret ? ` in ${error.fragment}` : '';
  return () => ({
    key,
    line,
    message: `${showName(key)}: ${error.message}${detail}`,
    fix: "write a literal $ as $$, or put the whole value in single quotes ('...'), where compose does not interpolate",
  });
}

/**
 * An unquoted value, `src[from, to)` being the rest of its line: the text before a ` #` comment, without the white
 * space at its end (what `.trimEnd()` removes). Found in place, so the line is copied once, not three times.
 */
export function unquotedValue(src: string, from: number, to: number): string {
  let end = to;
  for (let i = from; i + 1 < to; i++) {
    if (src.charCodeAt(i) === 32 && src.charCodeAt(i + 1) === 35 /* # */) {
      end = i;
      break;
    }
  }
  while (end > from && trimmedSpace(src.charCodeAt(end - 1))) end--;
  return src.slice(from, end);
}

/** The characters String.prototype.trimEnd removes: ECMAScript white space (Unicode Zs and a few more) and line ends. */
export function trimmedSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** The first of `names` assigned somewhere in `text` (`NAME=`, `NAME =`, `NAME:`), if any. */
function assignmentIn(text: string, names: readonly string[]): string | undefined {
  for (const name of names) {
    work.steps += text.length;
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
      let j = i + name.length;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (text[j] === '=' || text[j] === ':') return name;
    }
  }
  return undefined;
}
