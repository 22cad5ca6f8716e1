/** Quoted values as compose reads them: `\<quote>` escapes the quote; double quotes take shell-style escapes. */
import { work } from '../work.ts';

export interface Quoted {
  /** The text between the quotes, with `\<quote>` already turned into the quote. */
  body: string;
  /** Index just after the closing quote. */
  end: number;
  newlines: number;
}

/**
 * Reads the value whose opening quote is at `start`; null if it is never closed. The body is copied in slices between
 * escaped quotes, not a character at a time. (An unclosed quote scans to the end of the text, but only once per kind:
 * any later opening quote of the same kind would have closed it.)
 */
export function readQuoted(src: string, start: number, quote: '"' | "'"): Quoted | null {
  const q = quote.charCodeAt(0);
  let body = '';
  let from = start + 1;
  let newlines = 0;
  for (let i = start + 1; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 92 /* \ */ && i + 1 < src.length) {
      const n = src.charCodeAt(i + 1);
      if (n === 10) newlines++;
      if (n === q) {
        body += src.slice(from, i);
        from = i + 1;
      }
      i++;
    } else if (c === q) {
      work.steps += i - start;
      return { body: body + src.slice(from, i), end: i + 1, newlines };
    } else if (c === 10) newlines++;
  }
  work.steps += src.length - start;
  return null;
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };

/** Shell-style escapes inside double quotes; `\$` stays as `$$` so interpolation reads it as a literal `$`. */
export function unescapeDouble(body: string): string {
  work.steps += body.length;
  if (!body.includes('\\')) return body;
  return body.replace(/\\([0-7]{1,3}|.)/gs, (match, ch: string) => {
    if (ch === '$') return '$$';
    if (ch.length > 1 || (ch >= '0' && ch <= '7')) return String.fromCharCode(Number.parseInt(ch, 8));
    return ESCAPES[ch] ?? match;
  });
}
