/**
 * Docker compose's `$` interpolation (compose-go template.go): `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`,
 * `${VAR:?msg}`, `${VAR?msg}`, `${VAR:+alt}`, `${VAR+alt}`, nesting in the default, and `$$` for a literal `$`.
 * `$(` is left as text: unlike dotenv-expand, nothing is ever executed.
 *
 * It also tracks where secrets go: a value that takes in a secret's value (`APP_PORT=${ADMIN_REINGEST_KEY}`, a URL
 * with a key inside) is as secret as the key, so the result names the secret it came from. Work is linear in the
 * input: text is copied in slices, and nesting is capped (each level rescans its own text once).
 */
import { quoteText, showName } from '../text/escape.ts';
import { work } from '../work.ts';

export type Lookup = (name: string) => string | undefined;

/** A looked-up value and, when it is a secret or was derived from one, the name of that secret. */
export interface Source {
  value: string;
  secret?: string;
}
export type SourceLookup = (name: string) => Source | undefined;

export class InterpolationError extends Error {
  /** The user's text where the problem is, escaped and cut short; callers show it only when the value is not secret. */
  readonly fragment: string | undefined;
  constructor(message: string, fragment?: string) {
    super(message);
    this.name = 'InterpolationError';
    this.fragment = fragment;
  }
}

export interface InterpolationResult {
  value: string;
  /** Variables referenced but unset: compose substitutes an empty string and warns. */
  unset: string[];
}

export interface TrackedResult extends InterpolationResult {
  /** Every variable the text refers to, in order of first use. */
  refs: string[];
  /** The first secret whose value went into the result, if any. */
  secret?: string;
}

/** Deeper nesting than this is surely not a real default, and each level costs a rescan. */
export const MAX_NESTING = 16;

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
/** Shared by the results of text without `$`: a large file does not allocate two empty arrays per line. */
const NONE: string[] = [];
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;

interface Ctx {
  lookup: SourceLookup;
  /**
   * In order of use, repeats included (deduplicated once at the end: cheaper than a Set per value). NONE until the
   * first name (see `noted`).
   */
  unset: string[];
  refs: string[];
  secret?: string;
}

/** Interpolates `input`; throws InterpolationError on a broken template or a required variable that is missing. */
export function interpolate(input: string, lookup: Lookup): InterpolationResult {
  const { value, unset } = interpolateTracked(input, (name) => {
    const v = lookup(name);
    return v === undefined ? undefined : { value: v };
  });
  return { value, unset };
}

/** Like `interpolate`, and says which variables were used and which secret, if any, the result derives from. */
export function interpolateTracked(input: string, lookup: SourceLookup): TrackedResult {
  if (!input.includes('$')) return { value: input, unset: NONE, refs: NONE };
  const ctx: Ctx = { lookup, unset: NONE, refs: NONE, secret: undefined };
  const value = expand(input, ctx, 0);
  const result: TrackedResult = { value, unset: unique(ctx.unset), refs: unique(ctx.refs) };
  if (ctx.secret) result.secret = ctx.secret;
  return result;
}

/** `list` with `name` added: a new one-name array in place of the shared empty one (an empty array grows to 16 slots on its first push). */
function noted(list: string[], name: string): string[] {
  if (list === NONE) return [name];
  list.push(name);
  return list;
}

function unique(names: string[]): string[] {
  return names.length > 1 ? [...new Set(names)] : names;
}

function nameAt(s: string, at: number): string | undefined {
  NAME.lastIndex = at;
  // test and slice rather than exec: no match array per reference.
  return NAME.test(s) ? s.slice(at, NAME.lastIndex) : undefined;
}

function expand(s: string, ctx: Ctx, depth: number): string {
  if (depth > MAX_NESTING) throw new InterpolationError(`"\${...}" defaults are nested more than ${MAX_NESTING} levels deep`);
  work.steps += s.length;
  let out = '';
  let i = 0;
  for (let d = s.indexOf('$'); d >= 0; d = s.indexOf('$', i)) {
    out += s.slice(i, d);
    const next = s[d + 1];
    if (next === '$') {
      out += '$';
      i = d + 2;
    } else if (next === '{') {
      const end = matchingBrace(s, d + 2);
      if (end < 0) throw new InterpolationError('a "${" has no closing "}"', quoteText(s.slice(d)));
      out += braced(s.slice(d + 2, end), ctx, depth);
      i = end + 1;
    } else {
      const name = nameAt(s, d + 1);
      if (name === undefined) {
        out += '$';
        i = d + 1;
        continue;
      }
      out += resolve(name, ctx) ?? '';
      i = d + 1 + name.length;
    }
  }
  return out + s.slice(i);
}

function braced(inner: string, ctx: Ctx, depth: number): string {
  const name = nameAt(inner, 0);
  if (name === undefined) throw new InterpolationError('the text after "${" is not a variable name', quoteText(`\${${inner}}`));
  const rest = inner.slice(name.length);
  if (rest === '') return resolve(name, ctx) ?? '';
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op) throw new InterpolationError(`unknown operator after "\${${name}"`, quoteText(`\${${inner}}`));
  const arg = rest.slice(op.length);
  ctx.refs = noted(ctx.refs, name);
  const src = ctx.lookup(name);
  const isSet = src !== undefined;
  const nonEmpty = isSet && src.value !== '';
  switch (op) {
    case ':-':
      return nonEmpty ? use(src, ctx) : expand(arg, ctx, depth + 1);
    case '-':
      return isSet ? use(src, ctx) : expand(arg, ctx, depth + 1);
    case ':+':
      return nonEmpty ? expand(arg, ctx, depth + 1) : '';
    case '+':
      return isSet ? expand(arg, ctx, depth + 1) : '';
    case ':?':
    case '?':
      if (op === ':?' ? nonEmpty : isSet) return use(src as Source, ctx);
      throw new InterpolationError(`required variable ${name} is missing a value${arg ? `: ${hint(arg, ctx, depth)}` : ''}`);
  }
}

/** The message of `${VAR:?message}`, as compose prints it, unless it would show a secret. */
function hint(arg: string, ctx: Ctx, depth: number): string {
  const own: Ctx = { lookup: ctx.lookup, unset: NONE, refs: NONE, secret: undefined };
  const text = expand(arg, own, depth + 1);
  return own.secret ? `(a message derived from secret ${own.secret}, not shown)` : showName(text);
}

function use(src: Source, ctx: Ctx): string {
  if (src.secret && !ctx.secret) ctx.secret = src.secret;
  return src.value;
}

function resolve(name: string, ctx: Ctx): string | undefined {
  ctx.refs = noted(ctx.refs, name);
  const src = ctx.lookup(name);
  if (src === undefined) {
    ctx.unset = noted(ctx.unset, name);
    return undefined;
  }
  return use(src, ctx);
}

/** Index of the `}` closing a `${` whose body starts at `from`, allowing nested `${...}`. */
function matchingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    work.steps++;
    const c = s.charCodeAt(i);
    if (c === 36 /* $ */ && s.charCodeAt(i + 1) === 123 /* { */) {
      depth++;
      i++;
    } else if (c === 125 /* } */ && --depth === 0) return i;
  }
  return -1;
}
