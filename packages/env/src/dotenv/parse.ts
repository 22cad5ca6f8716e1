/**
 * A `.env` reader that follows docker compose (compose-go dotenv/parser.go), because compose is what hands these
 * values to the containers. Unlike compose it does not stop at the first bad line: it records every problem with
 * its line number and goes on, so `env-check` can report them all at once.
 */
import { InterpolationError, interpolate, type Lookup } from './interpolate.ts';

export type QuoteKind = 'none' | 'single' | 'double';

export interface EnvEntry {
  key: string;
  /** The value as compose gives it to the container (escapes applied, `$` interpolated). */
  value: string;
  line: number;
  quote: QuoteKind;
  /** A bare `KEY` line: compose takes the value from the shell. */
  inherited: boolean;
  /** Variables the value referenced that were unset (compose substitutes "" and warns). */
  unset: string[];
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

const EXPORT = /^export[ \t]+/;
const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };

/** Spaces that compose skips around keys and values; a newline is not one of them. */
function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\r' || c === '\u0085' || c === '\u00a0';
}

function isKeyChar(c: string): boolean {
  return /[\p{L}\p{N}_.\-[\]]/u.test(c);
}

/**
 * Parses `.env` text. `lookup` resolves `$VAR` references not defined earlier in the same text
 * (compose looks in the shell first, then in earlier lines).
 */
export function parseDotenv(text: string, lookup: Lookup = () => undefined): ParseResult {
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const entries: EnvEntry[] = [];
  const problems: ParseProblem[] = [];
  const seen = new Map<string, string>();
  const scoped: Lookup = (name) => lookup(name) ?? seen.get(name);
  let pos = 0;
  let line = 1;

  const skipToNextLine = () => {
    const nl = src.indexOf('\n', pos);
    pos = nl < 0 ? src.length : nl + 1;
    line++;
  };

  while (pos < src.length) {
    // Statement start: skip blank space, blank lines and whole-line comments.
    const c = src[pos];
    if (c === '\n') {
      pos++;
      line++;
      continue;
    }
    if (isSpace(c)) {
      pos++;
      continue;
    }
    if (c === '#') {
      skipToNextLine();
      continue;
    }
    const startLine = line;
    const exportMatch = EXPORT.exec(src.slice(pos, pos + 16));
    if (exportMatch) pos += exportMatch[0].length;

    // Key: up to '=', ':' or the end of the line (a bare key is inherited from the shell).
    let end = pos;
    let bad: string | undefined;
    while (end < src.length && !'=:\n'.includes(src[end] as string)) {
      const k = src[end] as string;
      if (!isSpace(k) && !isKeyChar(k) && bad === undefined) bad = k;
      end++;
    }
    const rawKey = src.slice(pos, end);
    const key = rawKey.trimEnd();
    const firstLine = rawKey.split('\n')[0] ?? '';
    if (bad !== undefined) {
      problems.push({
        line: startLine,
        message: `unexpected character "${bad}" in variable name "${firstLine.trim()}"`,
        fix: 'a line must be KEY=value with a key of letters, digits and _ . - only; put a # in front of it if it is a note',
      });
      pos = end;
      skipToNextLine();
      continue;
    }
    if (/[ \t]/.test(key)) {
      problems.push({
        line: startLine,
        message: `key "${key}" contains a space`,
        fix: 'remove the space from the key (KEY=value); quote the value if the space belongs to it',
      });
      pos = end;
      skipToNextLine();
      continue;
    }
    const sep = src[end];
    if (sep === undefined || sep === '\n') {
      entries.push({ key, value: lookup(key) ?? '', line: startLine, quote: 'none', inherited: true, unset: [] });
      pos = end;
      continue;
    }
    pos = end + 1;
    while (isSpace(src[pos])) pos++;

    const quoteChar = src[pos];
    if (quoteChar === '"' || quoteChar === "'") {
      const q = readQuoted(src, pos, quoteChar);
      if (!q) {
        const nl = src.indexOf('\n', pos);
        problems.push({
          key,
          line: startLine,
          message: `unterminated quoted value for ${key}: the ${quoteChar === '"' ? 'double' : 'single'} quote is never closed`,
          fix: `add the closing ${quoteChar} at the end of the value`,
        });
        pos = nl < 0 ? src.length : nl;
        continue;
      }
      line += q.newlines;
      pos = q.end;
      const quote: QuoteKind = quoteChar === '"' ? 'double' : 'single';
      const after = restOfLine(src, pos);
      if (after.trim() !== '' && !/^\s+#/.test(after) && !after.trimStart().startsWith('#')) {
        problems.push({
          key,
          line,
          message: `unexpected text after the closing quote of ${key}`,
          fix: 'put the whole value inside the quotes, or start a comment after the quote with " #"',
        });
      }
      pos += after.length;
      if (quote === 'single') {
        entries.push({ key, value: q.body, line: startLine, quote, inherited: false, unset: [] });
      } else {
        pushInterpolated(entries, problems, key, unescapeDouble(q.body), startLine, quote, scoped);
      }
    } else {
      const raw = restOfLine(src, pos);
      pos += raw.length;
      const hash = raw.indexOf(' #');
      const value = (hash >= 0 ? raw.slice(0, hash) : raw).trimEnd();
      pushInterpolated(entries, problems, key, value, startLine, 'none', scoped);
    }
    const last = entries[entries.length - 1];
    if (last?.key === key) seen.set(key, last.value);
  }
  return { entries, problems };
}

function pushInterpolated(entries: EnvEntry[], problems: ParseProblem[], key: string, raw: string, line: number, quote: QuoteKind, lookup: Lookup): void {
  try {
    const { value, unset } = interpolate(raw, lookup);
    entries.push({ key, value, line, quote, inherited: false, unset });
  } catch (error) {
    if (!(error instanceof InterpolationError)) throw error;
    problems.push({
      key,
      line,
      message: `${key}: ${error.message}`,
      fix: "write a literal $ as $$, or put the whole value in single quotes ('...'), where compose does not interpolate",
    });
  }
}

function restOfLine(src: string, pos: number): string {
  const nl = src.indexOf('\n', pos);
  return src.slice(pos, nl < 0 ? src.length : nl);
}

/** Reads a quoted value starting at the opening quote; `\<quote>` escapes the quote. Null if never closed. */
function readQuoted(src: string, start: number, quote: string): { body: string; end: number; newlines: number } | null {
  let body = '';
  let newlines = 0;
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\' && i + 1 < src.length) {
      const n = src[i + 1] as string;
      if (n === '\n') newlines++;
      body += n === quote ? n : c + n;
      i++;
      continue;
    }
    if (c === quote) return { body, end: i + 1, newlines };
    if (c === '\n') newlines++;
    body += c;
  }
  return null;
}

/** Shell-style escapes inside double quotes; `\$` stays as `$$` so interpolation reads it as a literal `$`. */
function unescapeDouble(body: string): string {
  return body.replace(/\\([0-7]{1,3}|.)/gs, (match, ch: string) => {
    if (ch === '$') return '$$';
    if (/^[0-7]+$/.test(ch)) return String.fromCharCode(Number.parseInt(ch, 8));
    return ESCAPES[ch] ?? match;
  });
}
