/**
 * Compares what compose reads with what node's dotenv reads, for a file of any size in bounded memory and linear
 * time. Most lines are plain enough that dotenv's reading is known without running it (plainReading); once a line
 * needs more than that, dotenv reads the whole chunk
 * (4 KB, cut where a line starts) and the last entry of each key in it is compared again. Lines compose rejects are
 * reported as errors: where dotenv takes such a line as an assignment, that is not compared; nor does dotenv's
 * reading cross a chunk boundary (a quoted value that runs on past 4 KB).
 */
import { work } from '../work.ts';
import type { EnvEntry } from './parse.ts';
import { dotenvReading, readsDifferently } from './portability.ts';

/** Text compared with dotenv at a time: large files never hold dotenv's reading of the whole file. */
const CHUNK = 4 * 1024;

/** 1 for the characters of a dotenv-style key (`[A-Za-z0-9_.-]`). */
const DOTENV_KEY = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-') DOTENV_KEY[c.charCodeAt(0)] = 1;

/** Whether `key` is a dotenv-style key: `^[A-Za-z0-9_.-]+$` without a regex run per line. */
function plainKey(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 128 || DOTENV_KEY[c] !== 1) return false;
  }
  return true;
}

/**
 * What dotenv reads for an entry, worked out the way dotenv works it out, when the line is plain enough for that to
 * be certain; undefined otherwise. Plain: blanks, an optional `export`, a dotenv-style key and `=` start the line, and
 * no Unicode line separator is on it. Then an unquoted value (one that does not start with a quote for dotenv) is the
 * text up to the first `#`, trimmed; a quoted one without backslashes is the text between the quotes.
 */
export function plainReading(src: string, e: EnvEntry): string | undefined {
  const r = plainRange(src, e);
  return r && src.slice(r.from, r.to);
}

/** plainRange's answer, one object for every call: read at once, never kept (an array per line cost more than the rest). */
const range = { from: 0, to: 0 };

/**
 * Where plainReading's text lies in `src` (no string is made for the many lines that compare equal), valid until the
 * next call. `line` is where the entry's line starts, when the caller knows it.
 */
function plainRange(src: string, e: EnvEntry, line = lineStart(src, e.offset)): Readonly<typeof range> | undefined {
  if (e.inherited || e.written === undefined || !plainKey(e.key) || !blanks(src, line, e.offset)) return undefined;
  if (e.keyAt !== e.offset && !/^export[ \t]+$/.test(src.slice(e.offset, e.keyAt))) return undefined;
  // After the key, `=` between blanks, as both readers take it.
  let eq = e.keyAt + e.key.length;
  while (src.charCodeAt(eq) === 32 || src.charCodeAt(eq) === 9) eq++;
  if (src.charCodeAt(eq) !== 61 /* = */) return undefined;
  const from = eq + 1;
  if (e.quote === 'none') {
    if (quoteFollows(src, from)) return undefined;
    // One pass to the end of the line: where dotenv cuts (the first #), and whether it also splits the line.
    let cut = -1;
    let i = from;
    for (; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (c === 10) break;
      if (c === 35 /* # */ && cut < 0) cut = i;
      else if (c === 0x2028 || c === 0x2029) return undefined;
    }
    work.steps += i - from;
    return trimDotenv(src, from, cut < 0 ? i : cut);
  }
  if (separatorIn(src, from)) return undefined;
  // Quoted: compose skipped only spaces and tabs to the quote, and the raw text between the quotes is the value.
  const w = e.written;
  let start = from;
  while (src[start] === ' ' || src[start] === '\t') start++;
  const quote = e.quote === 'single' ? "'" : '"';
  const close = start + 1 + w.length;
  if (src[start] !== quote || w.includes('\\') || !src.startsWith(w, start + 1) || src[close] !== quote) return undefined;
  if (/[\u2028\u2029]/.test(w) || separatorIn(src, close)) return undefined;
  range.from = start + 1;
  range.to = close;
  return range;
}

/** `[from, to)` without the whitespace dotenv trims from both ends. */
function trimDotenv(src: string, from: number, to: number): Readonly<typeof range> {
  let a = from;
  let b = to;
  while (a < b && dotenvSpace(src.charCodeAt(a))) a++;
  while (b > a && dotenvSpace(src.charCodeAt(b - 1))) b--;
  range.from = a;
  range.to = b;
  return range;
}

/** Where the line holding `at` starts (dotenv reads a line from its start, blanks included). */
function lineStart(src: string, at: number): number {
  let start = at;
  while (start > 0 && src.charCodeAt(start - 1) !== 10) start--;
  work.steps += at - start + 1;
  return start;
}

/** Where the line holding `at` ends. */
function lineEnd(src: string, at: number): number {
  const nl = src.indexOf('\n', at);
  const end = nl < 0 ? src.length : nl;
  work.steps += end - at + 1;
  return end;
}

/** Whether `src[from, to)` holds only spaces and tabs: compose also skips U+0085 before a key, dotenv does not. */
function blanks(src: string, from: number, to: number): boolean {
  work.steps += to - from;
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** Whether the rest of the line from `from` holds U+2028 or U+2029, where dotenv starts a new line. */
function separatorIn(src: string, from: number): boolean {
  for (let i = from; i < src.length; i++) {
    work.steps++;
    const c = src.charCodeAt(i);
    if (c === 10) return false;
    if (c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/** Whitespace as dotenv skips it, newlines included. */
function dotenvSpace(c: number): boolean {
  return c <= 32
    ? c === 32 || (c >= 9 && c <= 13)
    : c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279;
}

/**
 * Whether dotenv, looking for the start of an empty value from `from`, skips blank lines to a quote and reads a
 * quoted value from there (`A=` then `"x"` on the next line): only a value with text on its own line stays there.
 */
function quoteFollows(src: string, from: number): boolean {
  let i = from;
  while (i < src.length && dotenvSpace(src.charCodeAt(i))) i++;
  work.steps += i - from + 1;
  const c = src.charCodeAt(i);
  return c === 34 || c === 39 || c === 96;
}

const QUOTES: readonly EnvEntry['quote'][] = ['none', 'single', 'double'];
/** Numbers kept per plainly compared entry: key start and end, line, statement start, value start and end, flags. */
const STRIDE = 7;
const WARNED = 4;

/** dotenv's reading of the text an entry is part of: every key it read, with its value. */
export type Reading = (e: EnvEntry) => Readonly<Record<string, string>>;

/** Feeds compose's entries and rejected lines in order; reports each entry dotenv reads differently. */
export class DotenvComparison {
  /**
   * The chunk's plainly compared entries, as numbers (no objects kept alive): if a later line needs dotenv, the last
   * entry of each key is compared again with dotenv's reading of the whole chunk. The array is kept from chunk to
   * chunk (only its first `plainLength` numbers are this chunk's): a new one per chunk, grown a push at a time, made
   * most of what a large file's comparison allocated.
   */
  private readonly plain: number[] = [];
  private plainLength = 0;
  /** Entries from the first line that needs dotenv to the end of the chunk. */
  private pending: EnvEntry[] = [];
  private chunkFrom = 0;
  /** Whether dotenv must read the chunk for itself (a line whose reading is not known without it). */
  private dirty: boolean;
  /** dotenv ends lines at U+2028 and U+2029 even in comments, so a text that has them gets no shortcut. */
  private readonly separators: boolean;
  private readonly src: string;
  private readonly onDifference: (e: EnvEntry, theirs: Reading) => void;
  /**
   * dotenv's reading of a plainly compared entry's line, made when a message needs it: one function for all entries,
   * so that the many differences a capped report only counts cost nothing to pass on.
   */
  private readonly lineReading: Reading = (e) => ({ [e.key]: plainReading(this.src, e) as string });
  /**
   * `src` is the normalized text the entries' offsets refer to; `theirs(e)` gives dotenv's reading (of e's key at
   * least), for the message.
   */
  constructor(src: string, onDifference: (e: EnvEntry, theirs: Reading) => void) {
    this.src = src;
    this.onDifference = onDifference;
    this.separators = /[\u2028\u2029]/.test(src);
    this.dirty = this.separators;
  }

  add(e: EnvEntry): void {
    if (e.inherited) return;
    const start = lineStart(this.src, e.offset);
    this.boundary(start);
    const plain = this.dirty ? undefined : plainRange(this.src, e, start);
    if (!plain) {
      this.dirty = true;
      this.pending.push(e);
      return;
    }
    const { from, to } = plain;
    const differs = to - from !== e.value.length || !this.src.startsWith(e.value, from);
    if (differs) this.onDifference(e, this.lineReading);
    const p = this.plain;
    let n = this.plainLength;
    p[n++] = e.keyAt;
    p[n++] = e.keyAt + e.key.length;
    p[n++] = e.line;
    p[n++] = e.offset;
    p[n++] = from;
    p[n++] = to;
    p[n++] = QUOTES.indexOf(e.quote) | (differs ? WARNED : 0);
    this.plainLength = n;
  }

  /** A line compose rejects: if a quoted value may start on it, dotenv reads the lines after it its own way. */
  problem(offset: number): void {
    const start = lineStart(this.src, offset);
    const end = lineEnd(this.src, offset);
    this.boundary(start);
    if (/["'`]/.test(this.src.slice(start, end)) || quoteFollows(this.src, end)) this.dirty = true;
  }

  finish(): void {
    this.flush(this.src.length);
  }

  private boundary(at: number): void {
    if (at - this.chunkFrom >= CHUNK) this.flush(at);
  }

  private flush(to: number): void {
    if (this.dirty && this.plainLength + this.pending.length > 0) {
      work.steps += to - this.chunkFrom;
      const theirs = dotenvReading(this.src.slice(this.chunkFrom, to));
      // The last entry of each key in the chunk: a plainly compared one (by its index) or a pending one.
      const last = new Map<string, number | EnvEntry>();
      for (let i = 0; i < this.plainLength; i += STRIDE) last.set(this.src.slice(this.plain[i], this.plain[i + 1]), i);
      for (const e of this.pending) last.set(e.key, e);
      for (const e of last.values()) {
        if (typeof e !== 'number') {
          if (readsDifferently(e, theirs)) this.onDifference(e, () => theirs);
        } else if (!((this.plain[e + 6] as number) & WARNED)) {
          const entry = this.entryAt(e);
          if (readsDifferently(entry, theirs)) this.onDifference(entry, () => theirs);
        }
      }
    }
    this.plainLength = 0;
    this.pending = [];
    this.chunkFrom = to;
    this.dirty = this.separators;
  }

  /** A plainly compared entry, rebuilt from its numbers: its value equals what dotenv read on its own line. */
  private entryAt(i: number): EnvEntry {
    const n = (k: number) => this.plain[i + k] as number;
    const value = this.src.slice(n(4), n(5));
    return {
      key: this.src.slice(n(0), n(1)),
      keyAt: n(0),
      line: n(2),
      offset: n(3),
      value,
      written: value,
      quote: QUOTES[n(6) & 3] ?? 'none',
      inherited: false,
      unset: [],
    };
  }
}
