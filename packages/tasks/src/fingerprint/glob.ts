/**
 * The files a list of globs names, relative to a folder, sorted. `*` and `?` stay within a path segment, `**` spans
 * segments, `{a,b}` and `[a-z]` work as in a shell; a glob starting with `!` takes files out; a plain folder name
 * means everything under it. Only the folders a glob can reach are read (`src/**\/*.ts` reads src/ only), and
 * node_modules and .git are skipped unless a glob names them: what a fingerprint of a big repo costs is mostly this
 * walk (tasks/bench/graph.ts measures it).
 */
import { type Dirent, readdirSync, type Stats, statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, TaskError } from '../errors.ts';
import { globMatcher, globProblem } from './glob-match.ts';

export interface GlobOptions {
  /** Keep node_modules and .git (a Docker build context sends them unless .dockerignore leaves them out). */
  all?: boolean;
  /** A relative path (or folder, with a trailing `/`) to leave out, e.g. what .dockerignore ignores. */
  ignore?: (rel: string, isDir: boolean) => boolean;
  /** Told of a link that cannot be followed (a loop, no permission): it is left out, as the builder leaves it. */
  warn?: (text: string) => void;
  /** Told of a file whose name is not UTF-8 (shown with \\x escapes): it cannot be named, so it is left out. */
  undecodable?: (rel: string) => void;
}

interface Compiled {
  negate: boolean;
  test: (rel: string) => boolean;
  /** The literal folder the glob starts in ('' for the root). */
  base: string;
  /** How many segments below the root it can match (Infinity with `**`). */
  depth: number;
  /** The path itself, when the glob has no wildcard. */
  literal?: string;
}

const SKIPPED = new Set(['node_modules', '.git']);

export function globFiles(dir: string, globs: readonly string[], opts: GlobOptions = {}): string[] {
  const compiled = globs.map((g) => compile(g, dir));
  const positive = compiled.filter((c) => !c.negate);
  if (positive.length === 0) return [];
  const named = (name: string) => globs.some((g) => g.split('/').includes(name));
  const skip = opts.all ? new Set<string>() : new Set([...SKIPPED].filter((n) => !named(n)));
  const found = new Set<string>();
  // A path without wildcards is looked up, not searched for.
  for (const c of positive) {
    if (c.literal !== undefined && statQuiet(path.join(dir, c.literal), c.literal, opts.warn)?.isFile() && !opts.ignore?.(c.literal, false)) {
      found.add(c.literal);
    }
  }
  // Walk each distinct base once, as deep as its globs reach; a base inside another is covered by the outer walk.
  const walked = positive.filter((c) => c.literal === undefined);
  const bases = [...new Set(walked.map((c) => c.base))].sort();
  const roots = bases.filter((b, i) => !bases.slice(0, i).some((o) => o === '' || b.startsWith(`${o}/`)));
  for (const base of roots) {
    const within = walked.filter((c) => base === '' || c.base === base || c.base.startsWith(`${base}/`));
    walk(dir, base, Math.max(...within.map((c) => c.depth)), skip, opts, found);
  }
  const out: string[] = [];
  for (const rel of found) {
    let keep = false;
    for (const c of compiled) if (c.negate ? keep && c.test(rel) : !keep && c.test(rel)) keep = !c.negate;
    if (keep) out.push(rel);
  }
  return out.sort();
}

/**
 * stat, or undefined when there is nothing to read: a link loop (ELOOP) or a link into a place we may not enter
 * (EACCES, e.g. /proc/1/cwd) is left out with a warning naming it, as `docker build` leaves it, never a crash.
 */
function statQuiet(abs: string, rel: string, warn: GlobOptions['warn']): Stats | undefined {
  try {
    return statSync(abs, { throwIfNoEntry: false });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'an error';
    warn?.(
      `${rel} cannot be read (${code}: ${code === 'ELOOP' ? 'a symlink loop' : code === 'EACCES' ? 'permission denied' : 'unreadable'}): left out of the up-to-date check.`,
    );
    return undefined;
  }
}

/** The names in a folder that are not UTF-8 (node shows them with U+FFFD) -> their bytes, \x-escaped. */
function undecodableNames(abs: string): Map<string, string> {
  const bad = new Map<string, string>();
  try {
    for (const raw of readdirSync(abs, { encoding: 'buffer' })) {
      const text = raw.toString('utf8');
      if (Buffer.from(text, 'utf8').equals(raw)) continue;
      bad.set(text, [...raw].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join(''));
    }
  } catch {
    // Gone meanwhile: nothing to say.
  }
  return bad;
}

function walk(root: string, rel: string, depth: number, skip: ReadonlySet<string>, opts: GlobOptions, found: Set<string>): void {
  const { ignore } = opts;
  const abs = rel ? path.join(root, rel) : root;
  const level = rel ? rel.split('/').length : 0;
  let entries: Dirent[];
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch {
    // A base that is a file, or does not exist.
    if (rel && statQuiet(abs, rel, opts.warn)?.isFile() && !ignore?.(rel, false)) found.add(rel);
    return;
  }
  let undecodable: Map<string, string> | undefined;
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    // A name that is not UTF-8 reads back as another name (U+FFFD): it cannot be hashed or named, so the caller is
    // told (a check then runs every time) instead of it being silently left out.
    if (e.name.includes('\uFFFD')) {
      undecodable ??= undecodableNames(abs);
      const shown = undecodable.get(e.name);
      if (shown !== undefined) {
        opts.undecodable?.(`${rel ? `${rel}/` : ''}${shown}`);
        continue;
      }
    }
    let isDir = e.isDirectory();
    // A symlink counts as what it points to; a symlinked folder is not followed (no cycles, no escaping the repo).
    if (e.isSymbolicLink()) {
      const st = statQuiet(path.join(abs, e.name), child, opts.warn);
      if (!st?.isFile()) continue;
      isDir = false;
    }
    if (isDir) {
      if (level + 1 >= depth || skip.has(e.name) || ignore?.(child, true)) continue;
      walk(root, child, depth, skip, opts, found);
    } else if (e.isFile() || e.isSymbolicLink()) {
      if (!ignore?.(child, false)) found.add(child);
    }
  }
}

function compile(glob: string, dir: string): Compiled {
  // defineTask rejects these; globs chosen by the options are only known here.
  const problem = globProblem(glob);
  if (problem) throw new TaskError(ErrorCode.badTaskFile, `The glob ${JSON.stringify(glob)} cannot be used: ${problem}.`);
  const negate = glob.startsWith('!');
  let g = (negate ? glob.slice(1) : glob).replace(/^\.\//, '').replace(/\/+$/, '');
  // A plain folder name means what is in it.
  if (!/[*?[{]/.test(g) && statQuiet(path.join(dir, g), g, undefined)?.isDirectory()) g = g ? `${g}/**` : '**';
  const segments = g.split('/');
  const literal: string[] = [];
  for (const s of segments.slice(0, -1)) {
    if (/[*?[{]/.test(s)) break;
    literal.push(s);
  }
  const magic = /[*?[{]/.test(g);
  return {
    negate,
    test: globMatcher(g),
    base: literal.join('/'),
    depth: g.includes('**') ? Number.POSITIVE_INFINITY : segments.length,
    ...(magic || negate ? {} : { literal: g }),
  };
}

/**
 * A glob as a regular expression source: the matcher before glob-match.ts, kept as the reference its property test
 * compares with (a regex backtracks exponentially on `*a*a*a*b`: never use it on real names).
 */
export function toRegex(glob: string): string {
  // A trailing `/**` also matches the path before it (`src/**` matches `src`), as `**` matches no segment too.
  if (glob.endsWith('/**') && glob.length > 3) return `${toRegex(glob.slice(0, -3))}(?:/.*)?`;
  let re = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const before = i === 0 || glob[i - 1] === '/';
        const after = glob[i + 2] === '/' || i + 2 === glob.length;
        if (before && after) {
          // `**/` matches no folder or any number; a trailing `**` matches anything below.
          re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
          i += glob[i + 2] === '/' ? 2 : 1;
          continue;
        }
        i++;
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else if (c === '\\' && i + 1 < glob.length) re += `\\${glob[++i]}`;
    else re += /[.+^$()|\\/]/.test(c) ? `\\${c}` : c;
  }
  return re + ')'.repeat(braces);
}
