/** How a message quotes what a person typed: in double quotes, cut to a readable length, control characters shown. */
import { escapeControl } from './escape.ts';

export const ECHO_LIMIT = 60;

/** `"docker-biuld"`; a 100 KB argument becomes its first 60 characters and a count of the rest. */
export function quoteInput(text: string, limit = ECHO_LIMIT): string {
  // A password typed into a URL (`--registry https://me:pw@host`) is no less a secret for being a wrong value.
  const safe = text.replace(/(\/\/[^/@\s:]*:)[^/@\s]*@/g, '$1***@');
  const shown = safe.length > limit ? `${safe.slice(0, limit)}…` : safe;
  const rest = safe.length > limit ? ` (${safe.length - limit} more characters)` : '';
  return `"${escapeControl(shown).replace(/"/g, '\\"')}"${rest}`;
}

/** Cuts a line that is longer than `limit` characters, saying how much was left out. */
export function capLine(line: string, limit = 2000): string {
  return line.length > limit ? `${line.slice(0, limit)}… (${line.length - limit} more characters)` : line;
}
