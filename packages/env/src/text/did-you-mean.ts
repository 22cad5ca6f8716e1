/**
 * "Did you mean": a name close to one of a few known ones, by edit distance with adjacent swaps (APP_PROT →
 * APP_PORT, OLLAMA_MODL → OLLAMA_MODEL), case ignored. Built to check every key of a generated file against the
 * schema in linear time: a bit set of the letters in each name rules out almost every pair before any distance is
 * computed, and the distance stops as soon as it passes the allowance.
 */

/** How far a name may be from `target` to count as a typo of it. */
function allowance(target: string): number {
  return target.length <= 3 ? 0 : target.length <= 6 ? 1 : 2;
}

/** Letters (either case), `_` and digits folded into 32 bits; a missing bit is a character that needs an edit. */
function letters(s: string): number {
  let mask = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    mask |= 1 << (c >= 65 && c <= 90 ? c - 65 : c === 95 ? 26 : 27 + (c % 5));
  }
  return mask;
}

function bits(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Three rows of the distance table, reused from call to call (a file of typos makes a call per key). */
let scratch = new Int32Array(3 * 64);

/**
 * Optimal string alignment distance between a and b, or `max + 1` as soon as it must exceed `max`.
 * Rows stop early, so unrelated names cost a few cells.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const w = b.length + 1;
  if (scratch.length < 3 * w) scratch = new Int32Array(3 * w);
  const t = scratch;
  // Where the row before the previous one, the previous one and this one start in `t` (rotated after each row).
  let prev2 = 0;
  let prev = w;
  let row = 2 * w;
  for (let j = 0; j < w; j++) t[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    t[row] = i;
    let best = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j < w; j++) {
      const cost = ai === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min((t[prev + j] as number) + 1, (t[row + j - 1] as number) + 1, (t[prev + j - 1] as number) + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, (t[prev2 + j - 2] as number) + 1);
      t[row + j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    const free = prev2;
    prev2 = prev;
    prev = row;
    row = free;
  }
  return Math.min(t[prev + b.length] as number, max + 1);
}

const NONE: readonly string[] = Object.freeze([]);

interface Known {
  name: string;
  upper: string;
  mask: number;
  max: number;
}

/** Finds which of a fixed list of names another name is most likely a typo of. */
export class NameMatcher {
  /** Letters of all names together, and the shortest and longest name a typo may have. */
  private readonly all: number;
  private readonly shortest: number;
  private readonly longest: number;
  /** By length: the known names (in their order) that a name of that length may be a typo of, or equal to. */
  private readonly byLength: Known[][] = [];
  constructor(names: Iterable<string>) {
    const known = [...names].map((name) => ({ name, upper: name.toUpperCase(), mask: letters(name), max: allowance(name) }));
    this.all = known.reduce((m, k) => m | k.mask, 0);
    this.shortest = Math.min(...known.map((k) => k.name.length - k.max));
    this.longest = Math.max(...known.map((k) => k.name.length + k.max));
    for (let n = 0; n <= this.longest; n++) this.byLength.push(known.filter((k) => Math.abs(k.name.length - n) <= k.max));
  }

  /** Whether a name of this length can match at all (most keys of a large file cannot: no need to look further). */
  mayMatch(length: number): boolean {
    return length >= this.shortest && length <= this.longest;
  }

  /** The names `name` is most likely a typo of (ties all returned); empty when none, or when it is one of them. */
  match(name: string): readonly string[] {
    if (!this.mayMatch(name.length)) return NONE;
    let mask: number | undefined;
    let upper: string | undefined;
    let best = Number.POSITIVE_INFINITY;
    let found: string[] | undefined;
    for (const k of this.byLength[name.length] as Known[]) {
      if (k.name === name) return [];
      if (mask === undefined) {
        mask = letters(name);
        // More than two letters that no known name has: a typo of none of them.
        if (bits(mask & ~this.all) > 2) return NONE;
      }
      // Each letter one name has and the other lacks costs at least one edit.
      if (bits(k.mask & ~mask) > k.max || bits(mask & ~k.mask) > k.max) continue;
      upper ??= name.toUpperCase();
      const d = editDistance(upper, k.upper, k.max);
      if (d > k.max) continue;
      if (d < best) {
        best = d;
        found = [k.name];
      } else if (d === best) found?.push(k.name);
    }
    return found ?? NONE;
  }
}

/** The candidates `name` is most likely a typo of; see NameMatcher to check many names against the same list. */
export function didYouMean(name: string, candidates: Iterable<string>): readonly string[] {
  return new NameMatcher(candidates).match(name);
}
