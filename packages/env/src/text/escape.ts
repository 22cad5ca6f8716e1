/**
 * Text from a user's file goes into messages only through these helpers: a `.env` line can hold terminal escapes
 * (a title change, a cleared screen, bidi overrides that reorder what is shown) and values of any length.
 */

/** Longest stretch of a user's text a message shows before it says how much was left out. */
export const SHOWN_CHARS = 60;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\f': '\\f', '\b': '\\b', '\0': '\\0' };

// C0 and C1 controls, DEL, bidi and zero-width format characters, line/paragraph separators, BOM, and (in `u` mode,
// where pairs are one character) lone surrogates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this pattern is for.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]/gu;

function code(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const n = ch.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** The text with every control or invisible formatting character written as an escape (`\x1b`, `\n`, `\u202e`). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, code);
}

/** Cuts `text` to `max` characters (never inside a surrogate pair); returns the kept part and how much was cut. */
function cut(text: string, max: number): { kept: string; rest: number } {
  if (text.length <= max) return { kept: text, rest: 0 };
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return { kept: text.slice(0, end), rest: text.length - end };
}

function more(rest: number): string {
  return rest > 0 ? `… (+${rest} more character${rest === 1 ? '' : 's'})` : '';
}

/** User text for a message, in double quotes: `"` and `\` escaped, controls escaped, long text cut with a count. */
export function quoteText(text: string, max = SHOWN_CHARS): string {
  const { kept, rest } = cut(text, max);
  return `"${escapeControls(kept.replace(/[\\"]/g, '\\$&'))}"${more(rest)}`;
}

/** A name from a user's file (a key), unquoted: controls escaped, a long one cut with a count. */
export function showName(name: string, max = SHOWN_CHARS): string {
  const { kept, rest } = cut(name, max);
  return `${escapeControls(kept)}${more(rest)}`;
}
