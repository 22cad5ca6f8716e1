/**
 * Glob matching without a backtracking RegExp: `src/*a*a*a*b` against one long name made the compiled regex run for
 * minutes. Braces are expanded first (a bounded number of alternatives), then each alternative is matched segment by
 * segment with the classic star-backtrack algorithm (one backtrack point, so O(pattern x name) at worst), both within
 * a segment (`*`) and over segments (`**`). `*` and `?` match any character but `/`, newlines included.
 */

type Token = { kind: 'star' } | { kind: 'one' } | { kind: 'char'; c: string } | { kind: 'class'; negate: boolean; ranges: [string, string][] };
/** A path segment's test; `**` is kept apart, as it takes any number of segments. */
type Segment = ((s: string, from: number, to: number) => boolean) | 'globstar';

/** More alternatives than this is a mistake, not a glob (`{a,b}{c,d}...` grows as a product). */
const MAX_ALTERNATIVES = 256;

/** Why a glob cannot be used (relative to the task's folder, no `..`, well-formed classes), or undefined. */
export function globProblem(glob: string): string | undefined {
  const g = glob.startsWith('!') ? glob.slice(1) : glob;
  if (g === '') return 'it is empty';
  if (g.startsWith('/') || /^[A-Za-z]:[\\/]/.test(g)) return 'it is absolute; globs are relative to the task folder';
  if (g.split('/').includes('..')) return 'it has a ".." segment; globs stay inside the task folder';
  try {
    const alternatives = expandBraces(g);
    for (const a of alternatives) if (a.split('/').includes('..')) return 'it has a ".." segment; globs stay inside the task folder';
    for (const a of alternatives) for (const s of a.split('/')) tokenize(s);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/** A matcher for a glob (throws on a glob globProblem rejects). */
export function globMatcher(glob: string): (path: string) => boolean {
  const alternatives = expandBraces(glob).map((a) => a.split('/').map((s): Segment => (s === '**' ? 'globstar' : segmentTest(tokenize(s)))));
  if (alternatives.length === 1) {
    const only = alternatives[0] as Segment[];
    return (p) => matchSegments(only, p);
  }
  return (p) => alternatives.some((a) => matchSegments(a, p));
}

/**
 * The usual segments without the general loop: a plain name, `*`, `*.ts`, `name.*` (a check walks 10,000 names
 * through these: tasks/bench/graph.ts).
 */
function segmentTest(toks: Token[]): Exclude<Segment, 'globstar'> {
  const plain = (ts: readonly Token[]) => (ts.every((t) => t.kind === 'char') ? ts.map((t) => (t as { c: string }).c).join('') : undefined);
  const all = plain(toks);
  if (all !== undefined) return (s, from, to) => to - from === all.length && s.startsWith(all, from);
  if (toks.length === 1 && toks[0]?.kind === 'star') return () => true;
  const suffix = toks[0]?.kind === 'star' ? plain(toks.slice(1)) : undefined;
  if (suffix !== undefined) return (s, from, to) => to - from >= suffix.length && s.startsWith(suffix, to - suffix.length);
  const prefix = toks.at(-1)?.kind === 'star' ? plain(toks.slice(0, -1)) : undefined;
  if (prefix !== undefined) return (s, from, to) => to - from >= prefix.length && s.startsWith(prefix, from);
  return (s, from, to) => matchSegment(toks, s.slice(from, to));
}

/** `a{b,c{d,e}}` -> [ab, acd, ace]; a `{` without its `}` is literal, as a `,` outside braces is. */
export function expandBraces(glob: string): string[] {
  const open = findOpen(glob);
  if (open < 0) return [glob];
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      close = i;
      break;
    } else if (c === ',' && depth === 1) commas.push(i);
  }
  if (close < 0) return [glob];
  const head = glob.slice(0, open);
  const bounds = [open, ...commas, close];
  const out: string[] = [];
  const tails = expandBraces(glob.slice(close + 1));
  for (let k = 0; k + 1 < bounds.length; k++) {
    for (const mid of expandBraces(glob.slice((bounds[k] as number) + 1, bounds[k + 1]))) {
      for (const tail of tails) {
        out.push(head + mid + tail);
        if (out.length > MAX_ALTERNATIVES) throw new Error(`its braces give more than ${MAX_ALTERNATIVES} alternatives`);
      }
    }
  }
  return out;
}

function findOpen(glob: string): number {
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '\\') i++;
    else if (glob[i] === '{') return i;
  }
  return -1;
}

function tokenize(seg: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i] as string;
    if (c === '*') {
      // `a**b` is `a*b`: `**` spans folders only as a whole segment.
      if (out.at(-1)?.kind !== 'star') out.push({ kind: 'star' });
    } else if (c === '?') out.push({ kind: 'one' });
    else if (c === '\\' && i + 1 < seg.length) out.push({ kind: 'char', c: seg[++i] as string });
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) out.push({ kind: 'char', c });
      else {
        let body = seg.slice(i + 1, end);
        const negate = body.startsWith('!') || body.startsWith('^');
        if (negate) body = body.slice(1);
        const ranges: [string, string][] = [];
        for (let j = 0; j < body.length; j++) {
          const lo = body[j] as string;
          if (body[j + 1] === '-' && j + 2 < body.length) {
            const hi = body[j + 2] as string;
            if (lo > hi) throw new Error(`its class [${seg.slice(i + 1, end)}] has a range out of order (${lo}-${hi}); write it low to high`);
            ranges.push([lo, hi]);
            j += 2;
          } else ranges.push([lo, lo]);
        }
        out.push({ kind: 'class', negate, ranges });
        i = end;
      }
    } else out.push({ kind: 'char', c });
  }
  return out;
}

function one(t: Token, c: string): boolean {
  if (t.kind === 'one') return true;
  if (t.kind === 'char') return t.c === c;
  if (t.kind === 'class') return t.ranges.some(([lo, hi]) => c >= lo && c <= hi) !== t.negate;
  return false;
}

/** Star-backtrack within a segment: on a mismatch, the last `*` takes one more character. */
function matchSegment(toks: readonly Token[], s: string): boolean {
  let p = 0;
  let i = 0;
  let starP = -1;
  let starI = 0;
  while (i < s.length) {
    const t = toks[p];
    if (t && t.kind === 'star') {
      starP = p++;
      starI = i;
    } else if (t && one(t, s[i] as string)) {
      p++;
      i++;
    } else if (starP >= 0) {
      p = starP + 1;
      i = ++starI;
    } else return false;
  }
  while (toks[p]?.kind === 'star') p++;
  return p === toks.length;
}

/**
 * The same over the path's segments (found by index, no split: this runs for every file of a walk): `**` takes any
 * number of whole segments, every other segment exactly one.
 */
function matchSegments(segs: readonly Segment[], path: string): boolean {
  let p = 0;
  // The start of the current path segment; past the end once every segment is taken.
  let i = 0;
  let starP = -1;
  let starI = 0;
  while (i <= path.length) {
    const s = segs[p];
    if (s === 'globstar') {
      starP = p++;
      starI = i;
      continue;
    }
    const e = segmentEnd(path, i);
    if (s?.(path, i, e)) {
      p++;
      i = e + 1;
    } else if (starP >= 0) {
      p = starP + 1;
      starI = segmentEnd(path, starI) + 1;
      i = starI;
    } else return false;
  }
  while (segs[p] === 'globstar') p++;
  return p === segs.length;
}

function segmentEnd(path: string, from: number): number {
  const slash = path.indexOf('/', from);
  return slash < 0 ? path.length : slash;
}
