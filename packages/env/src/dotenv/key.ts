/** The key of a `.env` statement, read the way compose-go's locateKeyName does, with a message for a bad one. */
import { quoteText } from '../text/escape.ts';
import { work } from '../work.ts';

const KEY_CHAR = /[\p{L}\p{N}_.\-[\]]/u;

/** Spaces that compose skips around keys and values; a newline is not one of them. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13 || c === 0x85 || c === 0xa0;
}

/** 1 for the ASCII characters of a key: letters, digits, `_ . - [ ]`. */
const ASCII_KEY = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-[]') ASCII_KEY[c.charCodeAt(0)] = 1;

function isKeyChar(src: string, i: number): boolean {
  const c = src.charCodeAt(i);
  if (c < 128) return ASCII_KEY[c] === 1;
  return KEY_CHAR.test(String.fromCodePoint(src.codePointAt(i) as number));
}

/** The second half of a character whose first half was already checked. */
function isLowSurrogate(src: string, i: number, from: number): boolean {
  const c = src.charCodeAt(i);
  if (c < 0xdc00 || c > 0xdfff || i <= from) return false;
  const h = src.charCodeAt(i - 1);
  return h >= 0xd800 && h <= 0xdbff;
}

const FIX = 'a line must be KEY=value with a key of letters, digits and _ . - only; put a # in front of it if it is a note';

export type KeyRead = { key: string; end: number; bad?: undefined } | { bad: () => { message: string; fix: string }; end: number };

/**
 * Reads a key from `start` up to '=', ':' or the end of the line (`end` is where it stopped: for a bad key, at the
 * first bad character). A bad key's message quotes only what comes before the first space or bad character: a line
 * such as `ADMIN_REINGEST_KEY s3cret` must not put the secret on screen.
 */
export function readKey(src: string, start: number): KeyRead {
  let spaceAt = -1;
  // The common case first: a run of ASCII key characters (what the checks below would let pass before any space).
  let run = start;
  while (run < src.length && ASCII_KEY[src.charCodeAt(run)] === 1) run++;
  work.steps += run - start;
  for (let end = run; end < src.length; end++) {
    work.steps++;
    const k = src.charCodeAt(end);
    if (k < 128 && ASCII_KEY[k] === 1 && spaceAt < 0) continue;
    if (k === 61 || k === 58 || k === 10) {
      if ((end === start || spaceAt === start) && k !== 10) return { end, bad: missingKey(src[end] as string) };
      return { key: src.slice(start, spaceAt >= 0 ? spaceAt : end), end };
    }
    if (isLowSurrogate(src, end, start)) continue;
    if (isSpace(k)) {
      if (spaceAt < 0) spaceAt = end;
    } else if (spaceAt >= 0 || !isKeyChar(src, end)) {
      return { end, bad: badKeyProblem(src, start, end, spaceAt) };
    }
  }
  return { key: src.slice(start, spaceAt >= 0 ? spaceAt : src.length), end: src.length };
}

/*
 * The messages are made by these functions, not by closures inside readKey's loop: a closure there would put the
 * loop's variables in a heap-allocated context for every character read.
 */

function missingKey(separator: string): () => { message: string; fix: string } {
  return () => ({ message: `the line starts with "${separator}": the key is missing`, fix: FIX });
}

function badKeyProblem(src: string, start: number, bad: number, spaceAt: number): () => { message: string; fix: string } {
  return () => badKey(src, start, bad, spaceAt);
}

function badKey(src: string, start: number, bad: number, spaceAt: number): { message: string; fix: string } {
  const word = src.slice(start, spaceAt >= 0 ? spaceAt : bad);
  if (spaceAt >= 0)
    return { message: `the key ${quoteText(word)} is followed by a space and more text`, fix: `${FIX}; quote the value if the space belongs to it` };
  const ch = quoteText(String.fromCodePoint(src.codePointAt(bad) as number));
  return { message: `unexpected character ${ch} in a variable name${word ? ` (after ${quoteText(word)})` : ' (at the start of the line)'}`, fix: FIX };
}
